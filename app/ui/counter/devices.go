package counter

import (
	"context"
	"io"

	"github.com/motcua/motcua/drivers/scanner"
	"github.com/motcua/motcua/internal/dossier"
)

// CardReader reads the citizen's ID card: the serial QR/MRZ reader now, a
// chip reader later. The composition root adapts drivers/idcard to it.
type CardReader interface {
	// ReadCard waits for the next card presented, until ctx ends.
	ReadCard(ctx context.Context) (dossier.Applicant, error)
}

// Scan is what scanning or importing one paper produced: its pages as one
// PDF (grayscale JPEG at 200 dpi unless colour was needed), or, when Raw is
// set, the pages as scanned for the clerk to review (reorder, rotate,
// delete, add) before Devices.Pages builds the PDF.
type Scan struct {
	PDF   []byte
	Pages int
	Blank []int // 0-based pages that look blank, for the clerk to check
	Raw   []scanner.Page
}

// PageBuilder makes the stored PDF of reviewed pages (scanner.Finish with
// the counter's scan options).
type PageBuilder interface {
	BuildPages(ctx context.Context, pages []scanner.Page) (Scan, error)
}

// Scanner scans a paper's pages; the composition root adapts
// drivers/scanner (SANE, eSCL or a watched folder) to it.
type Scanner interface {
	ScanPaper(ctx context.Context) (Scan, error)
}

// Importer turns an imported PDF, JPEG or PNG file into a Scan.
type Importer interface {
	ImportFile(ctx context.Context, name string, data []byte) (Scan, error)
}

// FileStore keeps scans content-addressed; *store.Store implements it.
type FileStore interface {
	PutFile(ctx context.Context, r io.Reader) (sha string, size int64, err error)
}

// Devices are the counter's optional devices; a nil field hides its action.
type Devices struct {
	Cards    CardReader
	Scanner  Scanner
	Importer Importer
	Files    FileStore // required when Scanner or Importer is set
	// Pages builds the PDF of reviewed pages; required when the Scanner or
	// Importer returns Raw pages.
	Pages PageBuilder
}
