// Package report computes what a one-stop office is judged on and exports
// it: the leader's dashboard (received today and this month, due today,
// overdue, the on-time rate of the month's results, counts by procedure, the
// last 30 days), the rows of the tracking book (sổ theo dõi hồ sơ, form 07)
// with each dossier's timeliness judged in working days by the calendar, and
// CSV exports in UTF-8 with a byte-order mark so that Excel opens Vietnamese
// text correctly.
//
// It reads through the small Source interface (internal/store implements
// it) and must not write anything, draw anything, or log personal data.
package report
