// Package kiosk is the citizen self-service kiosk's logic, with no Fyne and
// no SQL: the journeys as state machines (Machine), the narrow read
// interface the kiosk screens use (Directory) and its implementation over
// the device's records (Service), the masking of personal data, the parsing
// of what the QR scanner or the on-screen keypad typed, and the
// technician's exit PIN with its rate limit (PINGate). The confirmation
// step's wrong-try counters are kept through a TryLog and the exit PIN's
// through a PINLog (both the store), so a restart gives no fresh tries. Queue is the other side of the queue: a
// counter calls the next number (CounterQueue) and the kiosk reads the
// calls for the hall (Directory.Calls).
//
// Journeys: look up a dossier by its receipt's QR code or by typing its
// code, then confirm with the last 4 digits of the applicant's ID number or
// phone (three wrong tries send the citizen back to the start, and the code
// is locked for a while); verify a receipt's signed QR offline; browse the
// procedures; take a queue ticket (printed when a printer answers); rate the
// service. Every journey returns to the start screen after the idle time,
// clearing everything typed.
//
// What it must not do: hand a screen a raw dossier, an ID number, a phone
// number, an address or an unmasked name; show anything of a dossier before
// the confirmation digits matched; log personal data. The screens
// (app/ui/kiosk) only render Machine's State.
package kiosk
