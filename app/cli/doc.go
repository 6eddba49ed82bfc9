// Package cli holds motcua's command-line subcommands; no Fyne, no GUI; each
// takes its args, stdout, stderr and dependencies and returns an exit status.
//
// Exit statuses: 0 success, 1 bad input (a one-line reason on stderr), 2
// usage error (the usage on stderr). A subcommand must not call os.Exit, read
// os.Args or the process environment, or open windows: app wires it up.
package cli
