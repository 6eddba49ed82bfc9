// Package dossier holds the domain types of a one-stop dossier (hồ sơ): the
// applicant, the papers handed in, the status with the national portal's codes,
// and the dossier code.
//
// It knows no SQL, no GUI and no device: it imports only the standard library.
package dossier
