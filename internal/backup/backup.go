package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver

	"github.com/motcua/motcua/internal/store"
)

// Format names the archive layout; Restore refuses any other.
const Format = "motcua-backup/1"

// Errors a caller can test with errors.Is.
var (
	ErrNoData    = errors.New("no database in the data directory")
	ErrDamaged   = errors.New("backup archive is damaged")
	ErrFormat    = errors.New("not a motcua backup")
	ErrNotEmpty  = errors.New("data directory is not empty")
	ErrSourceBad = errors.New("a file of the data directory is damaged")
)

// Entry is one archive member other than the manifest.
type Entry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest describes a backup; it is the archive's first member.
type Manifest struct {
	Format        string    `json:"format"`
	CreatedAt     time.Time `json:"created_at"`
	Kind          string    `json:"kind"` // manual, daily, pre-upgrade
	AppVersion    string    `json:"app_version,omitempty"`
	SchemaVersion int       `json:"schema_version"`
	AgencyID      string    `json:"agency_id,omitempty"`
	DeviceSlot    int       `json:"device_slot,omitempty"`
	Dossiers      int       `json:"dossiers"`
	AuditRecords  int       `json:"audit_records"`
	AuditHead     string    `json:"audit_head,omitempty"`
	Database      Entry     `json:"database"`
	Files         []Entry   `json:"files"`
}

// Options of Create.
type Options struct {
	Kind       string // manual (default), daily, pre-upgrade
	AppVersion string
	Now        func() time.Time
	// Progress, if set, is called as the archive is written and read back:
	// done and total bytes of the two passes together (the snapshot is
	// taken before the first call).
	Progress func(done, total int64)
}

// Result is what Create made.
type Result struct {
	Path     string
	SHA256   string // of the whole archive
	Size     int64
	Manifest Manifest
}

// Create backs the data directory dataDir up into the archive out (which
// must not exist). It works while the store is open and being written to.
// The archive is verified before it gets its final name.
func Create(ctx context.Context, dataDir, out string, opt Options) (Result, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Kind == "" {
		opt.Kind = "manual"
	}
	src := filepath.Join(dataDir, store.DBFile)
	if _, err := os.Stat(src); err != nil {
		return Result{}, fmt.Errorf("backup %s: %w", dataDir, ErrNoData)
	}
	if _, err := os.Stat(out); err == nil {
		return Result{}, fmt.Errorf("backup: %s already exists", out)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	work, err := os.MkdirTemp(filepath.Dir(out), ".motcua-backup-*")
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(work)

	snap := filepath.Join(work, store.DBFile)
	if err := snapshot(ctx, src, snap); err != nil {
		return Result{}, err
	}
	m, err := prepare(ctx, dataDir, snap)
	if err != nil {
		return Result{}, err
	}
	m.Format, m.CreatedAt, m.Kind, m.AppVersion = Format, opt.Now().UTC().Truncate(time.Millisecond), opt.Kind, opt.AppVersion

	tmp := filepath.Join(work, "archive.tar.gz")
	total := m.Database.Size
	for _, e := range m.Files {
		total += e.Size
	}
	var done int64
	step := func(n int64) {
		if opt.Progress != nil {
			done += n
			opt.Progress(min(done, 2*total), 2*total)
		}
	}
	step(0)
	if err := writeArchive(ctx, dataDir, snap, tmp, &m, step); err != nil {
		return Result{}, err
	}
	if _, err := Verify(ctx, tmp); err != nil {
		return Result{}, fmt.Errorf("backup: the new archive does not verify: %w", err)
	}
	step(total) // read back and checked
	sum, size, err := hashFile(tmp)
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	if err := syncDir(filepath.Dir(out)); err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	return Result{Path: out, SHA256: sum, Size: size, Manifest: m}, nil
}

// snapshot copies the database at src into dst (which must not exist) as of
// one instant, with VACUUM INTO on a connection of its own: a reader in WAL
// mode, so writers are not held up.
func snapshot(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite", dsn(src, "busy_timeout(10000)"))
	if err != nil {
		return fmt.Errorf("backup snapshot: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("backup snapshot: %w", err)
	}
	return nil
}

func dsn(path string, pragmas ...string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// facts are what a manifest says about a database.
type facts struct {
	schema, dossiers, audit, slot int
	head, agency                  string
}

func readFacts(ctx context.Context, db *sql.DB) (facts, error) {
	var f facts
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
		return f, err
	}
	f.schema = int(v.Int64)
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM dossiers`).Scan(&f.dossiers); err != nil {
		return f, err
	}
	var head sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT count(*), (SELECT hash FROM audit ORDER BY id DESC LIMIT 1) FROM audit`).Scan(&f.audit, &head); err != nil {
		return f, err
	}
	f.head = head.String
	rows, err := db.QueryContext(ctx, `SELECT key, value FROM settings WHERE key IN ('agency_id', 'device_slot')`)
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, val string
		if err := rows.Scan(&k, &val); err != nil {
			return f, err
		}
		if k == "agency_id" {
			f.agency = val
		} else {
			fmt.Sscan(val, &f.slot)
		}
	}
	return f, rows.Err()
}

// prepare reads the snapshot's facts and list of blobs. A registered blob
// that is no longer on disk is dropped from the snapshot if nothing refers
// to it (a scan of a save that never committed); if something does, the
// data directory is damaged and the backup fails.
func prepare(ctx context.Context, dataDir, snap string) (Manifest, error) {
	var m Manifest
	db, err := sql.Open("sqlite", dsn(snap, "foreign_keys(1)"))
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rows, err := db.QueryContext(ctx, `SELECT sha256, size FROM files ORDER BY sha256`)
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	var missing []string
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.SHA256, &e.Size); err != nil {
			rows.Close()
			return m, fmt.Errorf("backup: %w", err)
		}
		if !shaRE.MatchString(e.SHA256) {
			rows.Close()
			return m, fmt.Errorf("backup: %w: registered file %q is not a SHA-256", ErrSourceBad, e.SHA256)
		}
		e.Path = blobPath(e.SHA256)
		if fi, err := os.Stat(filepath.Join(dataDir, filepath.FromSlash(e.Path))); err != nil || fi.Size() != e.Size {
			missing = append(missing, e.SHA256)
			continue
		}
		m.Files = append(m.Files, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	for _, sha := range missing {
		if _, err := db.ExecContext(ctx, `DELETE FROM files WHERE sha256 = ?`, sha); err != nil {
			return m, fmt.Errorf("backup: %w: file %s is referenced but missing or truncated", ErrSourceBad, sha)
		}
	}
	f, err := readFacts(ctx, db)
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	m.SchemaVersion, m.Dossiers, m.AuditRecords, m.AuditHead, m.AgencyID, m.DeviceSlot =
		f.schema, f.dossiers, f.audit, f.head, f.agency, f.slot
	if err := db.Close(); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	sum, size, err := hashFile(snap)
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	m.Database = Entry{Path: store.DBFile, Size: size, SHA256: sum}
	return m, nil
}

var shaRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func blobPath(sha string) string { return "files/" + sha[:2] + "/" + sha }

// writeArchive writes manifest, database and blobs to path, hashing each
// blob as it is copied: a blob that does not hash to its name fails the
// backup (ErrSourceBad) rather than being saved as if it were good.
func writeArchive(ctx context.Context, dataDir, snap, path string, m *Manifest, progress func(int64)) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("backup: %w", cerr)
		}
	}()
	gz, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	man, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	mtime := m.CreatedAt
	if err := tw.WriteHeader(&tar.Header{Name: "manifest.json", Mode: 0o600, Size: int64(len(man)), ModTime: mtime, Typeflag: tar.TypeReg}); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := tw.Write(man); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	copyIn := func(e Entry, from string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		src, err := os.Open(from)
		if err != nil {
			return fmt.Errorf("backup: %w: %s: %v", ErrSourceBad, e.Path, err)
		}
		defer src.Close()
		if err := tw.WriteHeader(&tar.Header{Name: e.Path, Mode: 0o600, Size: e.Size, ModTime: mtime, Typeflag: tar.TypeReg}); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(tw, h), io.LimitReader(src, e.Size))
		if err != nil {
			return fmt.Errorf("backup: %s: %w", e.Path, err)
		}
		if n != e.Size || hex.EncodeToString(h.Sum(nil)) != e.SHA256 {
			return fmt.Errorf("backup: %w: %s does not hash to its recorded SHA-256", ErrSourceBad, e.Path)
		}
		progress(n)
		return nil
	}
	if err := copyIn(m.Database, snap); err != nil {
		return err
	}
	for _, e := range m.Files {
		if err := copyIn(e, filepath.Join(dataDir, filepath.FromSlash(e.Path))); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// Verify reads the whole archive at path: the manifest, every member's size
// and SHA-256, no member missing or extra, and PRAGMA integrity_check on the
// database. It returns the manifest.
func Verify(ctx context.Context, path string) (Manifest, error) {
	dir, err := os.MkdirTemp(filepath.Dir(path), ".motcua-verify-*")
	if err != nil {
		dir, err = os.MkdirTemp("", "motcua-verify-*")
		if err != nil {
			return Manifest{}, fmt.Errorf("verify: %w", err)
		}
	}
	defer os.RemoveAll(dir)
	m, err := unpack(ctx, path, dir, true)
	if err != nil {
		return m, err
	}
	if err := integrity(ctx, filepath.Join(dir, store.DBFile)); err != nil {
		return m, err
	}
	return m, nil
}

// integrity runs PRAGMA integrity_check on the database file at path.
func integrity(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", dsn(path, "query_only(1)"))
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	defer db.Close()
	var msg string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&msg); err != nil {
		return fmt.Errorf("verify: %w: database: %v", ErrDamaged, err)
	}
	if msg != "ok" {
		return fmt.Errorf("verify: %w: database: %s", ErrDamaged, msg)
	}
	return nil
}

// unpack reads the archive at path into dir, checking every member against
// the manifest. With dbOnly, blobs are hashed but not written.
func unpack(ctx context.Context, path, dir string, dbOnly bool) (Manifest, error) {
	var m Manifest
	f, err := os.Open(path)
	if err != nil {
		return m, fmt.Errorf("open backup: %w", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return m, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	tr := tar.NewReader(gz)
	hdr, err := tr.Next()
	if err != nil || hdr.Name != "manifest.json" || hdr.Size > 64<<20 {
		return m, fmt.Errorf("%w: no manifest first", ErrFormat)
	}
	raw, err := io.ReadAll(tr)
	if err != nil {
		return m, fmt.Errorf("%w: manifest: %v", ErrDamaged, err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("%w: manifest: %v", ErrFormat, err)
	}
	if m.Format != Format {
		return m, fmt.Errorf("%w: format %q, this motcua reads %q", ErrFormat, m.Format, Format)
	}
	want := map[string]Entry{}
	if m.Database.Path != store.DBFile || !shaRE.MatchString(m.Database.SHA256) {
		return m, fmt.Errorf("%w: manifest names no database", ErrFormat)
	}
	want[m.Database.Path] = m.Database
	for _, e := range m.Files {
		if !shaRE.MatchString(e.SHA256) || e.Path != blobPath(e.SHA256) || e.Size < 0 {
			return m, fmt.Errorf("%w: manifest entry %q", ErrFormat, e.Path)
		}
		want[e.Path] = e
	}
	seen := map[string]bool{}
	for {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		e, ok := want[hdr.Name]
		if !ok || seen[hdr.Name] || hdr.Typeflag != tar.TypeReg {
			return m, fmt.Errorf("%w: unexpected member %q", ErrDamaged, hdr.Name)
		}
		seen[hdr.Name] = true
		if hdr.Size != e.Size {
			return m, fmt.Errorf("%w: %s has %d bytes, manifest says %d", ErrDamaged, hdr.Name, hdr.Size, e.Size)
		}
		var w io.Writer = io.Discard
		var out *os.File
		if !dbOnly || hdr.Name == store.DBFile {
			p := filepath.Join(dir, filepath.FromSlash(hdr.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				return m, fmt.Errorf("restore: %w", err)
			}
			if out, err = os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err != nil {
				return m, fmt.Errorf("restore: %w", err)
			}
			w = out
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(w, h), tr)
		if out != nil {
			if err == nil {
				err = out.Sync()
			}
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return m, fmt.Errorf("%w: %s: %v", ErrDamaged, hdr.Name, err)
		}
		if n != e.Size || hex.EncodeToString(h.Sum(nil)) != e.SHA256 {
			return m, fmt.Errorf("%w: %s does not match its SHA-256 in the manifest", ErrDamaged, hdr.Name)
		}
	}
	for p := range want {
		if !seen[p] {
			return m, fmt.Errorf("%w: %s is missing", ErrDamaged, p)
		}
	}
	return m, nil
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be fsynced there; NTFS journals renames
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// FileName is the archive name for a backup of agency taken at t:
// motcua-<agency>-<YYYYMMDD-HHMMSS>-<kind>.tar.gz, in Vietnam time.
func FileName(agency string, t time.Time, kind string) string {
	if agency == "" {
		agency = "device"
	}
	agency = strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, agency)
	return fmt.Sprintf("motcua-%s-%s-%s.tar.gz", agency, t.In(vn).Format("20060102-150405"), kind)
}

var vn = time.FixedZone("ICT", 7*3600)
