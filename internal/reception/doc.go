// Package reception holds the counter's use cases: receiving a dossier
// (Service) and the steps after reception (Lifecycle, lifecycle.go):
// requesting a supplement, starting processing, transferring, recording and
// returning a result, refusing, withdrawing, stopping, and the apology with a
// new appointment. Each use case checks the actor's permission, validates
// its input with messages a screen can translate, computes fee and appointment
// from the catalog and the working-day calendar, and saves through a
// Repository in one transaction that also writes the audit and outbox records.
//
// It knows no SQL, no Fyne and no device.
package reception
