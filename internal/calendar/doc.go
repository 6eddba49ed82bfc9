// Package calendar is motcua's working-time calendar: the Vietnamese lunar
// calendar computed for UTC+7, the days off of each year (Labour Code 2019
// rules, overridden by the government's official yearly table), the office
// hours of a counter, and the due dates counted from them (working days,
// working hours, the "same day, next working day after 15:00" rule) together
// with the working time elapsed between two instants.
//
// All dates are read in VN (UTC+7, a fixed zone: no tzdata needed).
//
// It must not read files, clocks or the network, log, or know about
// dossiers, procedures, storage or the GUI: callers pass instants in and
// hand tables to it (official tables arrive from the hub and are parsed
// with ParseYearTable). It imports only the standard library.
//
// The lunar algorithm is Hồ Ngọc Đức's (https://www.informatik.uni-leipzig.de/~duc/amlich/),
// built on Jean Meeus, "Astronomical Algorithms" (2nd ed., 1998). The
// holiday rules are articles 111–112 of the Labour Code 2019
// (45/2019/QH14). See docs/calendar.md.
package calendar
