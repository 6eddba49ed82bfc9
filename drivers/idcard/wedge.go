package idcard

import (
	"strings"
	"time"
	"unicode/utf8"
)

// WedgeOpts tune the keyboard-wedge detector.
type WedgeOpts struct {
	// MaxGap is the longest pause between two key presses of one burst; a
	// scanner types a character every 1-15 ms, a fast typist every 80 ms or
	// more.
	MaxGap time.Duration
	// MinLen is the shortest burst that can be a card (a CCCD QR is longer
	// than 40 characters, an MRZ line is 30).
	MinLen int
}

// DefaultWedgeOpts: 35 ms between keys, at least 30 characters.
func DefaultWedgeOpts() WedgeOpts { return WedgeOpts{MaxGap: 35 * time.Millisecond, MinLen: 30} }

// WedgeKind is what an Enter ended.
type WedgeKind int

const (
	// WedgeNone: ordinary typing; the Enter means what it always means.
	WedgeNone WedgeKind = iota
	// WedgePending: an MRZ line of a burst; swallow the Enter and wait for
	// the next line.
	WedgePending
	// WedgeCard: a card was read; Identity holds it and Restore the text the
	// field had before the burst.
	WedgeCard
	// WedgeInvalid: a burst shaped like a card that does not parse (a
	// misread); Err says why, Restore as for WedgeCard.
	WedgeInvalid
)

// WedgeResult is the outcome of an Enter.
type WedgeResult struct {
	Kind     WedgeKind
	Identity Identity
	Err      error
	Restore  string
}

// Wedge recognises a keyboard-wedge QR/MRZ scanner typing into a text field:
// a fast burst of characters ending with Enter that parses as a card. It
// follows one field's text (Changed on every change, Submitted on Enter) and
// needs no GUI toolkit, so it is tested without a window.
type Wedge struct {
	Opts WedgeOpts
	Now  func() time.Time // nil = time.Now

	prev  string
	base  string   // the field's text before the burst
	burst []byte   // what the burst typed since the last Enter
	lines []string // MRZ lines already ended by an Enter in this burst
	last  time.Time
}

// NewWedge returns a detector with the default options.
func NewWedge(now func() time.Time) *Wedge { return &Wedge{Opts: DefaultWedgeOpts(), Now: now} }

func (w *Wedge) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// Changed tells the detector the field's new text.
func (w *Wedge) Changed(text string) {
	now := w.now()
	if len(text) > len(w.prev) && strings.HasPrefix(text, w.prev) {
		added := text[len(w.prev):]
		fresh := len(w.burst) == 0 && len(w.lines) == 0
		if fresh || now.Sub(w.last) > w.Opts.MaxGap {
			w.base, w.burst, w.lines = w.prev, nil, nil
		}
		// a paste arrives as one change of many characters: not key presses
		if utf8.RuneCountInString(added) > 2 && fresh {
			w.reset(text, now)
			return
		}
		w.burst = append(w.burst, added...)
	} else {
		w.burst, w.lines = nil, nil
	}
	w.prev, w.last = text, now
}

func (w *Wedge) reset(text string, now time.Time) {
	w.prev, w.last, w.burst, w.lines, w.base = text, now, nil, nil, text
}

// Submitted tells the detector Enter was pressed in the field with text and
// says what to do with it.
func (w *Wedge) Submitted(text string) WedgeResult {
	now := w.now()
	if text != w.prev || len(w.burst) == 0 || now.Sub(w.last) > w.Opts.MaxGap {
		w.reset(text, now)
		return WedgeResult{}
	}
	s := string(w.burst)
	if len(w.lines) < 2 && len(s) == mrzLineLen && isMRZChars(strings.ToUpper(s)) {
		w.lines = append(w.lines, s)
		w.burst, w.last = nil, now
		return WedgeResult{Kind: WedgePending}
	}
	full := s
	if len(w.lines) > 0 {
		full = strings.Join(append(w.lines, s), "\n")
	}
	base := w.base
	w.reset(text, now)
	if i := qrStart(full); i > 0 { // a key pressed just before the scan
		base += full[:i]
		full = full[i:]
	}
	if len(full) < w.Opts.MinLen || !LooksLikeCard(full) {
		return WedgeResult{}
	}
	id, err := Parse(full)
	if err != nil {
		return WedgeResult{Kind: WedgeInvalid, Err: err, Restore: base}
	}
	return WedgeResult{Kind: WedgeCard, Identity: id, Restore: base}
}

// qrStart finds where a QR payload (12 digits then '|') starts in s; -1 if
// nowhere.
func qrStart(s string) int {
	for i := 0; i+12 < len(s); i++ {
		if s[i+12] == '|' && isDigits(s[i:i+12], 12) {
			return i
		}
	}
	return -1
}
