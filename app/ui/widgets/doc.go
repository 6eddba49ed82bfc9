// Package widgets holds the small pieces every motcua screen shares: the
// language switch (Vietnamese by default, whatever the system locale), money
// and date formatting in Vietnamese, a labelled form field with an inline
// error, large touch buttons for the kiosk, and Tasks, which runs loading work
// off the UI goroutine so tests can wait for it.
//
// It holds no business rules, no SQL and no device I/O, and it never imports
// fyne.io/fyne/v2/app: only the composition root (app/) creates the Fyne app.
package widgets
