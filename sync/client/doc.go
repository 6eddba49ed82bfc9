// Package client is the device side of the link to the hub: enrolment
// (Enrol), push of the outbox in gzip-compressed batches, resumable tus
// uploads of scanned files with SHA-256 checksums, pull of the office's
// change feed by long-polling (decisions, dossiers of the office's other
// devices), and the connectivity state the counter shows.
//
// Serve(ctx) runs both loops until ctx ends; Notify wakes the push loop
// after a commit. Retries use cenkalti/backoff (exponential, jittered, no
// overall deadline: an office may stay offline for days). An answer that can
// never succeed (a 4xx for one event) stops that event and records it for
// the clerk instead of retrying; an HTML page answered with 200 (a Wi-Fi
// login portal) is an error, never a success.
//
// It depends on the device store through the small Local interface
// (*store.Store implements it) and on sync/protocol; it has no GUI and
// logs no personal data (codes, counts and device ids only).
package client
