// Package escpos drives ESC/POS thermal receipt printers (58 mm and 80 mm,
// 203 dpi) over a serial line, a USB printer device file (/dev/usb/lp0) or
// TCP port 9100 (raw "JetDirect" printing).
//
// Most thermal printers have no Vietnamese glyphs, so everything with text is
// printed as a raster image ("GS v 0"), and QR codes with the printer's
// native QR commands ("GS ( k", functions 165/167/169/180/181), which are
// sharper than a rasterised QR. A job ends with a feed and a partial cut
// ("GS V 66 n").
//
// References: Epson "ESC/POS Application Programming Guide" and the ESC/POS
// command reference (ESC @, ESC a, ESC d, GS v 0, GS ( k, GS V); the
// commands used here are the common subset implemented by Epson TM-T20/T82,
// Xprinter, Rongta and other clones.
//
// Decode reads a command stream back (raster bands into an image, QR data)
// so tests compare what the printer would print, not only bytes. The package
// decides nothing about when to print: receipts are printed only after their
// dossier is durable, which is the caller's rule.
package escpos
