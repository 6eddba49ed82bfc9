// Package printer sends finished documents to printers.
//
// System prints a PDF on the operating system's printer: on Linux and other
// Unix systems through CUPS' lp command (the PDF goes to lp's standard input,
// so no temporary file holds personal data); on Windows through the default
// PDF handler's "print" verb (see docs/printing.md for the tested path and
// its limits). The command runner is injected so tests can hand it a
// recording lp.
//
// Destinations lists the system's printers (lpstat -e/-d, Get-Printer) for
// the devices screen. ESC/POS thermal printers are in the escpos
// subpackage.
//
// It must not decide what to print or when: a receipt is printed only after
// its dossier is durable, and that is the caller's rule.
package printer
