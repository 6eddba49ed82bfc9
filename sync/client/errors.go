package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"

	"github.com/motcua/motcua/sync/protocol"
)

// Kind classifies what went wrong, so a screen can say it in plain words
// (translation keys "sync.error.<kind>").
type Kind string

const (
	KindOffline  Kind = "offline"  // no connection to the hub (DNS, refused, timeout, cut)
	KindServer   Kind = "server"   // the hub answered 5xx
	KindPortal   Kind = "portal"   // something else answered (HTML page, Wi-Fi login)
	KindClock    Kind = "clock"    // the device clock is too far from the hub's
	KindRefused  Kind = "refused"  // the hub refused the device (unknown key, bad signature, forbidden)
	KindRevoked  Kind = "revoked"  // the technician revoked this device at the hub: permanent
	KindRejected Kind = "rejected" // the hub refused an event for good
	KindToken    Kind = "token"    // enrolment token unknown, used or expired
	KindLocal    Kind = "local"    // the device's own store failed
)

// Error is a failed exchange with the hub.
type Error struct {
	Kind   Kind
	Status int    // HTTP status, 0 if none
	Code   string // the hub's error code, if it sent one
	Err    error
}

func (e *Error) Error() string {
	s := string(e.Kind)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d", e.Status)
		if e.Code != "" {
			s += " " + e.Code
		}
		s += ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Transient reports whether retrying may help.
func (e *Error) Transient() bool {
	switch e.Kind {
	case KindOffline, KindServer, KindPortal, KindClock, KindLocal:
		return true
	}
	return false
}

// KindOf returns the kind of err ("" for nil).
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	var ne net.Error
	var ue *url.Error
	if errors.As(err, &ne) || errors.As(err, &ue) {
		return KindOffline
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return KindOffline
	}
	return KindLocal
}

func offline(err error) error { return &Error{Kind: KindOffline, Err: err} }

// Reason is the kind as a word a screen maps to a message without
// importing this package; "conflict" when the hub answered that the key is
// already enrolled.
func (e *Error) Reason() string {
	if e.Kind == KindRejected && e.Code == protocol.ErrConflict {
		return "conflict"
	}
	return string(e.Kind)
}
