// Package review holds the review-mode screens of motcua (motcua --mode
// review): a district or provincial reviewer signs in to the hub, works the
// queues of dossiers synced by the communes, opens a dossier with its scanned
// papers rendered by internal/preview, decides on it and watches the
// dashboard.
//
// The screens talk to the hub only through Service, a small interface this
// package defines; hubclient adapts protocol.ReviewClient to it and tests may
// hand any implementation. The last loaded queues and opened dossiers are
// kept in a Cache file so that they stay readable while the hub is
// unreachable; decisions are never queued offline.
//
// It must not do: SQL, device I/O, business rules of the hub (which decision
// is allowed, who sees which commune) — the hub decides, the screens show.
// Widgets are touched only on the UI goroutine (fyne.Do).
package review
