// Package auth holds the accounts of the people who use motcua, their roles
// and permissions, password hashing with argon2id, failed-login lockout and
// the idle screen lock policy.
//
// Logins work offline: a device checks passwords against the hashes it keeps
// locally (accounts arrive from the hub). Storage is someone else's job: this
// package only defines the AccountStore it needs, and the SQLite store
// implements it.
//
// It must not log or return passwords, must not tell an unknown login from a
// wrong password, and must not grant a technician any access to dossiers,
// which hold citizens' personal data. It imports only the standard library and
// golang.org/x/crypto/argon2; it has no GUI and no SQL.
package auth
