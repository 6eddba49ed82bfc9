// Package preview turns PDFs and scanned images into pixels with MuPDF
// (github.com/gen2brain/go-fitz): page counts, whole pages at a chosen
// resolution, and thumbnails for the counter's and reviewer's screens.
//
// Concurrency: a go-fitz Document and its MuPDF context belong to one
// goroutine. Every function here opens its own Document from the bytes it is
// given and closes it before returning, so the functions are safe to call
// from many goroutines at once; nothing is cached between calls.
//
// Outside data: PDFs and images come from scanners, citizens and the hub.
// Corrupt or hostile input yields an error wrapping ErrDocument (or
// ErrPage, ErrTooLarge), never a panic: MuPDF's own errors are caught by
// go-fitz and any Go panic in the binding is recovered. Page sizes are
// checked before a pixmap is allocated, so a forged page box cannot make us
// allocate gigabytes (see MaxPixels). MuPDF itself prints warnings about
// damaged files on standard error ("trying to repair broken xref"); they
// carry no document content.
//
// This package must not: know about dossiers or forms, write files, talk to
// printers, or touch the GUI (callers convert the *image.RGBA to what they
// show).
package preview
