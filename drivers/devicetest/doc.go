// Package devicetest holds the stand-ins driver tests run against: socat pty
// pairs (a real serial line with a feeder on the other end), a recording
// transport, and helpers that fail loudly, naming the Debian package, when a
// tool a test needs is missing.
//
// Test code only: no production package imports it.
package devicetest
