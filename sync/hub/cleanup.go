package hub

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultUploadRetention is how long an unfinished tus upload is kept
// after it was created: a device that comes back later starts the file
// again (it asks the hub with POST, not with a remembered URL).
const DefaultUploadRetention = 7 * 24 * time.Hour

// staleUploads lists uploads created before before: unfinished ones
// (abandoned: the device was replaced, the file deleted) and finished ones
// (their rows serve nothing once the file is registered).
func (s *sqlStore) StaleUploads(ctx context.Context, before time.Time) ([]Upload, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, device, sha256, length, upload_offset, done, created_at FROM uploads
		WHERE created_at < ? ORDER BY created_at`), ms(before))
	if err != nil {
		return nil, fmt.Errorf("stale uploads: %w", err)
	}
	defer rows.Close()
	var out []Upload
	for rows.Next() {
		var u Upload
		var done int
		var at int64
		if err := rows.Scan(&u.ID, &u.Device, &u.SHA256, &u.Length, &u.Offset, &done, &at); err != nil {
			return nil, err
		}
		u.Done, u.CreatedAt = done != 0, time.UnixMilli(at).UTC()
		out = append(out, u)
	}
	return out, rows.Err()
}

// CleanupResult says what CleanupUploads removed.
type CleanupResult struct {
	Abandoned int   // unfinished uploads removed, with their partial files
	Finished  int   // rows of finished uploads removed
	Strays    int   // partial files without an upload row (a crash between the two)
	Bytes     int64 // bytes of partial files removed
}

// CleanupUploads removes what uploads older than the server's retention
// left behind: unfinished uploads and their partial files, the rows of
// finished ones, and partial files that no upload row names. An upload
// being written is locked, so it is never removed under its PATCH. Files
// already registered (DATA/files) are never touched.
func (s *Server) CleanupUploads(ctx context.Context) (CleanupResult, error) {
	var res CleanupResult
	now := s.now()
	olds, err := s.st.StaleUploads(ctx, now.Add(-s.retention))
	if err != nil {
		return res, err
	}
	for _, u := range olds {
		unlock := s.lockUpload(u.ID)
		err := s.st.DeleteUpload(ctx, u.ID)
		if err == nil {
			if fi, e := os.Stat(s.partPath(u.ID)); e == nil {
				res.Bytes += fi.Size()
			}
			if e := os.Remove(s.partPath(u.ID)); e != nil && !errors.Is(e, os.ErrNotExist) {
				err = e
			}
		}
		unlock()
		s.forgetLock(u.ID)
		if err != nil {
			return res, fmt.Errorf("clean upload %s: %w", u.ID, err)
		}
		if u.Done {
			res.Finished++
		} else {
			res.Abandoned++
			s.m.event("upload_expired")
		}
	}
	ents, err := os.ReadDir(filepath.Join(s.dir, "uploads"))
	if err != nil {
		return res, err
	}
	for _, e := range ents {
		id, ok := strings.CutSuffix(e.Name(), ".part")
		if !ok || !isLowerHex(id) {
			continue
		}
		unlock := s.lockUpload(id)
		_, err := s.st.Upload(ctx, id)
		if errors.Is(err, ErrNotFound) {
			if fi, e := os.Stat(s.partPath(id)); e == nil {
				res.Bytes += fi.Size()
			}
			if os.Remove(s.partPath(id)) == nil {
				res.Strays++
			}
			err = nil
		}
		unlock()
		s.forgetLock(id)
		if err != nil {
			return res, err
		}
	}
	if res.Abandoned+res.Finished+res.Strays > 0 {
		s.log.Info("uploads cleaned", "abandoned", res.Abandoned, "finished", res.Finished, "strays", res.Strays, "bytes", res.Bytes)
	}
	return res, nil
}

// Run does the server's housekeeping until ctx ends: it saves the metrics'
// counters every flushEvery (and once more at the end, so a restart loses
// nothing of a clean stop) and cleans old uploads every hour.
func (s *Server) Run(ctx context.Context, flushEvery time.Duration) error {
	if flushEvery <= 0 {
		flushEvery = 10 * time.Second
	}
	flush := time.NewTicker(flushEvery)
	defer flush.Stop()
	clean := time.NewTicker(time.Hour)
	defer clean.Stop()
	if _, err := s.CleanupUploads(ctx); err != nil {
		s.log.Error("upload cleanup", "err", err.Error())
	}
	for {
		select {
		case <-ctx.Done():
			return s.FlushMetrics(context.WithoutCancel(ctx))
		case <-flush.C:
			if err := s.FlushMetrics(ctx); err != nil {
				s.log.Error("save metrics", "err", err.Error())
			}
		case <-clean.C:
			if _, err := s.CleanupUploads(ctx); err != nil {
				s.log.Error("upload cleanup", "err", err.Error())
			}
		}
	}
}

// forgetLock drops the lock of an upload that no longer exists, so the
// lock table does not grow with every file ever sent.
func (s *Server) forgetLock(id string) {
	s.mu.Lock()
	delete(s.upLocks, id)
	s.mu.Unlock()
}
