// Package counter is the counter PC's window content: login and idle lock,
// the reception wizard ("Tiếp nhận hồ sơ"), the receipt preview, the dossier
// list and the dossier detail, with a status line and keyboard shortcuts
// (Ctrl+N new reception, Ctrl+F search, Ctrl+L lock).
//
// Screens are structs of their dependencies and widgets. They call the small
// interfaces of services.go (implemented by internal/reception,
// internal/store, internal/auth, and the receipt/preview/printer functions),
// load off the UI goroutine through widgets.Tasks and apply results with
// fyne.Do. The reception flow's rules live in the Fyne-free subpackage
// wizard. This package holds no SQL, no device I/O and no business rules,
// and never imports fyne.io/fyne/v2/app.
package counter
