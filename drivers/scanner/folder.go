package scanner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Folder takes the files a network scanner saved to a shared folder: every
// PDF, JPEG or PNG in Dir, oldest first, becomes pages; taken files move to
// Dir/imported so that nothing is lost if the dossier is not saved, and a
// file is never taken twice.
type Folder struct {
	Dir string
}

var _ Device = (*Folder)(nil)

// ImportedDir is where taken files go.
const ImportedDir = "imported"

// Pending lists the files waiting in the folder, oldest first.
func (f *Folder) Pending() ([]string, error) {
	entries, err := os.ReadDir(f.Dir)
	if err != nil {
		return nil, kindErr(KindOffline, "scan folder: %w", err)
	}
	type file struct {
		name string
		mod  int64
	}
	var files []file
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".pdf", ".jpg", ".jpeg", ".png":
		default:
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		files = append(files, file{e.Name(), info.ModTime().UnixNano()})
	}
	sort.Slice(files, func(i, j int) bool {
		if files[i].mod != files[j].mod {
			return files[i].mod < files[j].mod
		}
		return files[i].name < files[j].name
	})
	out := make([]string, len(files))
	for i, fl := range files {
		out[i] = filepath.Join(f.Dir, fl.name)
	}
	return out, nil
}

// Scan takes every pending file.
func (f *Folder) Scan(ctx context.Context, o Opts) ([]Page, error) {
	files, err := f.Pending()
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, kindErr(KindNoFiles, "no new file in the scan folder")
	}
	var pages []Page
	for _, name := range files {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("scan folder: %w", err)
		}
		p, err := Import(name, data, o.dpi())
		if err != nil {
			return nil, err
		}
		pages = append(pages, p...)
	}
	done := filepath.Join(f.Dir, ImportedDir)
	if err := os.MkdirAll(done, 0o700); err != nil {
		return nil, fmt.Errorf("scan folder: %w", err)
	}
	for _, name := range files {
		if err := os.Rename(name, filepath.Join(done, filepath.Base(name))); err != nil {
			return nil, fmt.Errorf("scan folder: %w", err)
		}
	}
	return pages, nil
}
