// Package catalog holds the procedures (thủ tục hành chính) an office
// receives: the papers each one requires, its fee and its statutory
// processing time, versioned by effective date.
//
// Laws change forms, fees and deadlines, so every procedure is kept as a
// series of versions identified by (Code, Version), each in force from one
// date to another. Reception stores the version a dossier was received under
// and later looks it up with Version, never with Find, so a dossier keeps its
// rules when the catalog moves on. Dates are calendar days in Vietnam
// (UTC+7): a version is in force from 00:00 of EffectiveFrom to the end of
// EffectiveTo, both included.
//
// A catalog is read from JSON (Parse; the default ships in
// assets/catalog/default.json and later versions arrive from the hub) and
// written back with Marshal. docs/catalog.md describes the format.
//
// The package imports only the standard library, internal/dossier and
// internal/textfold. It must not do I/O, know about SQL or the GUI, or compute
// due dates: turning a Deadline into a date is internal/calendar's job, as
// the office calendar and holidays are needed for that.
package catalog
