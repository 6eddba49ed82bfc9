// Package citizen holds the rules for a citizen's identity data as typed at
// the counter or read from an ID card: the 12-digit personal ID number (số
// định danh cá nhân, printed on the CCCD), Vietnamese phone numbers, e-mail
// addresses and personal names.
//
// The ID number layout is fixed by Circular 07/2016/TT-BCA (as amended by
// Circular 59/2021/TT-BCA): PPP G YY NNNNNN, where PPP is the province where
// the birth was registered, G encodes century and sex, YY are the last two
// digits of the birth year and NNNNNN is random. There is no check digit, so
// validation is limited to format and consistency with birth date and sex.
//
// The province codes are the 63 codes of the former provinces. The 2025
// merger into 34 provinces did not renumber anybody: an ID number issued
// before 1 July 2025 keeps its code, and a merged province goes on issuing
// under the code of the province whose name it kept, so the table below stays
// complete for parsing.
//
// Every failure is an exported sentinel error (errors.Is-able) so a screen can
// show its own translated message. This package imports only the standard
// library and internal/dossier; it performs no I/O and must never log the
// values it checks (they are personal data).
package citizen
