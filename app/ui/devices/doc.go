// Package devices is the technician's devices screen ("Thiết bị"): it lists
// the serial ports, scanners and printers the system offers with the result
// of each check, edits the devices' settings, and runs a test read of a
// card, a test scan and test prints, showing the last error in plain words.
//
// It holds no device I/O: everything goes through the Service interface,
// which the composition root implements over drivers/* (the same checks as
// "motcua doctor"). Long operations run through widgets.Tasks and apply
// their result inside fyne.Do.
package devices
