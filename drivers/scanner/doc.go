// Package scanner turns paper into pages and pages into one PDF per paper.
//
// Devices:
//   - SANE through the scanimage command (Linux): "scanimage -L"-style
//     listing with -f, scans in PNM (P4/P5/P6) with --batch for feeders. See
//     the SANE standard (sane-project.gitlab.io/standard) and scanimage(1).
//     Tests run SANE's "test" backend from a private SANE_CONFIG_DIR whose
//     dll.conf lists only "test", so they need no hardware and ignore the
//     machine's scanners.
//   - eSCL (Mopria "AirScan"), the HTTP protocol of network scanners:
//     GET /eSCL/ScannerCapabilities and /eSCL/ScannerStatus, POST
//     /eSCL/ScanJobs with a scan:ScanSettings document (201 + Location),
//     GET {job}/NextDocument until 404 (503 = not ready yet, retry).
//   - A watched folder: scanners that save PDF/JPEG/PNG files to a share.
//
// Pages can be reordered, rotated and deleted before saving (Batch); each
// page is checked for blankness. BuildPDF writes the pages as one PDF:
// grayscale JPEG at 200 dpi unless colour is asked for (a page of text is
// 150-350 KB instead of the 25 MB of its raw scan). Imported PDF, JPEG and
// PNG files become pages the same way.
//
// It must not decide where scans are stored or which paper they belong to:
// the reception screen does, through internal/store.
package scanner
