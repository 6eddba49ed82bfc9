package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// PutFile stores the content of r in the content-addressed file store and
// registers it, returning its SHA-256 (lower-case hex) and size. The content
// is written to files/tmp, fsynced, renamed to files/<ab>/<sha256> and the
// directory fsynced, so a blob on disk is always whole. Putting content that
// is already stored changes nothing.
//
// A blob only survives the next start if a committed dossier refers to it:
// scans put before a save that never committed are removed then.
func (s *Store) PutFile(ctx context.Context, r io.Reader) (sha string, size int64, err error) {
	tmp, err := os.CreateTemp(filepath.Join(s.files, "tmp"), "put-*")
	if err != nil {
		return "", 0, fmt.Errorf("put file: %w", err)
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(tmp, h), &ctxReader{ctx: ctx, r: r})
	if err != nil {
		return "", 0, fmt.Errorf("put file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, fmt.Errorf("put file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", 0, fmt.Errorf("put file: %w", err)
	}
	sha = hex.EncodeToString(h.Sum(nil))
	final := s.blobPath(sha)
	if fi, err := os.Stat(final); err == nil && fi.Size() == size {
		// Same content already stored: keep the existing blob.
		os.Remove(tmp.Name())
		tmp = nil
	} else {
		if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
			return "", 0, fmt.Errorf("put file: %w", err)
		}
		if err := syncDir(s.files); err != nil {
			return "", 0, fmt.Errorf("put file: %w", err)
		}
		if err := os.Rename(tmp.Name(), final); err != nil {
			return "", 0, fmt.Errorf("put file: %w", err)
		}
		tmp = nil
		if err := syncDir(filepath.Dir(final)); err != nil {
			return "", 0, fmt.Errorf("put file: %w", err)
		}
	}
	err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO files (sha256, size, created_at) VALUES (?, ?, ?)
			ON CONFLICT (sha256) DO NOTHING`, sha, size, millis(s.now()))
		return err
	})
	if err != nil {
		return "", 0, fmt.Errorf("put file: %w", err)
	}
	return sha, size, nil
}

// OpenFile opens the blob with the given SHA-256. It returns ErrNotFound if
// there is none.
func (s *Store) OpenFile(sha string) (io.ReadCloser, error) {
	if !validSHA(sha) {
		return nil, fmt.Errorf("open file %q: %w", sha, ErrNotFound)
	}
	f, err := os.Open(s.blobPath(sha))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open file %s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open file %s: %w", sha, err)
	}
	return f, nil
}

// blobPath is where the blob sha lives: files/<first two hex digits>/<sha>.
func (s *Store) blobPath(sha string) string {
	return filepath.Join(s.files, sha[:2], sha)
}

// checkBlob verifies, inside q's transaction, that sha is registered and whole on disk.
func (s *Store) checkBlob(q *txq, sha string) error {
	if !validSHA(sha) {
		return fmt.Errorf("%w: %q is not a SHA-256", ErrFileMissing, sha)
	}
	var size int64
	err := q.queryRow(sqlFileSize, sha).Scan(&size)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %s not registered", ErrFileMissing, sha)
	}
	if err != nil {
		return err
	}
	fi, err := os.Stat(s.blobPath(sha))
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrFileMissing, sha, err)
	}
	if fi.Size() != size {
		return fmt.Errorf("%w: %s has %d bytes, want %d", ErrFileMissing, sha, fi.Size(), size)
	}
	return nil
}

// cleanFiles removes half-written temporary files and blobs that no paper
// refers to. It reads only the files directory and asks the database one
// indexed question per blob, so its cost does not grow with the number of
// dossiers. It runs in Open, before any PutFile can race with it.
func (s *Store) cleanFiles(ctx context.Context) error {
	tmpDir := filepath.Join(s.files, "tmp")
	ents, err := os.ReadDir(tmpDir)
	if err != nil {
		return fmt.Errorf("clean files: %w", err)
	}
	for _, e := range ents {
		if err := os.Remove(filepath.Join(tmpDir, e.Name())); err != nil {
			return fmt.Errorf("clean files: %w", err)
		}
		s.cleanup.TempFiles++
	}
	dirs, err := os.ReadDir(s.files)
	if err != nil {
		return fmt.Errorf("clean files: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 2 || d.Name() == "tmp" {
			continue
		}
		sub := filepath.Join(s.files, d.Name())
		blobs, err := os.ReadDir(sub)
		if err != nil {
			return fmt.Errorf("clean files: %w", err)
		}
		for _, b := range blobs {
			sha := b.Name()
			if !validSHA(sha) || sha[:2] != d.Name() {
				continue // not ours: leave it for a human to look at
			}
			used, err := blobUsed(ctx, s.r, sha)
			if err != nil {
				return fmt.Errorf("clean files: %w", err)
			}
			if used {
				continue
			}
			err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
				used, err = blobUsed(ctx, tx, sha)
				if err != nil || used {
					return err
				}
				// Row first, blob second: a crash in between leaves an
				// unregistered blob, which the next start removes.
				_, err = tx.ExecContext(ctx, `DELETE FROM files WHERE sha256 = ?`, sha)
				return err
			})
			if err != nil {
				return fmt.Errorf("clean files: %w", err)
			}
			if used {
				continue
			}
			if err := os.Remove(filepath.Join(sub, sha)); err != nil {
				return fmt.Errorf("clean files: %w", err)
			}
			s.cleanup.OrphanedFiles++
		}
	}
	if s.cleanup != (CleanupStats{}) {
		s.log.Info("store start-up cleanup", "temp_files", s.cleanup.TempFiles, "orphaned_files", s.cleanup.OrphanedFiles)
	}
	return nil
}

// blobUsed reports whether a paper refers to sha (one index lookup).
func blobUsed(ctx context.Context, q querier, sha string) (bool, error) {
	var used bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM paper_files WHERE sha256 = ?)`, sha).Scan(&used)
	return used, err
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func validSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// syncDir fsyncs a directory so that a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ctxReader stops a long copy when ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
