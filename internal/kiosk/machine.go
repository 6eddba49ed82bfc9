package kiosk

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// Step is the screen a journey is on.
type Step int

const (
	StepHome           Step = iota // start screen: the four journeys
	StepSaver                      // screen saver with the office's information
	StepLookupCode                 // scan the receipt or type the code
	StepLookupConfirm              // type the last 4 digits
	StepLookupResult               // the dossier's status, masked
	StepVerifyScan                 // scan the receipt to verify
	StepVerifyResult               // genuine, forged, or unknown office
	StepProcedures                 // list of procedures, with a search
	StepProcedure                  // one procedure: papers, fee, time, where
	StepTicketServices             // choose a service
	StepTicket                     // the number taken (printed or not)
	StepRate                       // three faces
	StepRateDone                   // thank you
	StepPIN                        // technician's exit PIN
	StepExit                       // the PIN matched: the application leaves kiosk mode
)

var stepNames = [...]string{"home", "saver", "lookup_code", "lookup_confirm", "lookup_result", "verify_scan",
	"verify_result", "procedures", "procedure", "ticket_services", "ticket", "rate", "rate_done", "pin", "exit"}

// String names the step (screen names, screenshots, tests).
func (s Step) String() string {
	if s >= 0 && int(s) < len(stepNames) {
		return stepNames[s]
	}
	return "unknown"
}

// Steps lists every step the screens render.
var Steps = []Step{StepHome, StepSaver, StepLookupCode, StepLookupConfirm, StepLookupResult, StepVerifyScan,
	StepVerifyResult, StepProcedures, StepProcedure, StepTicketServices, StepTicket, StepRate, StepRateDone, StepPIN}

// Default timings.
const (
	DefaultIdle  = 60 * time.Second  // back to the start screen
	DefaultSaver = 120 * time.Second // start screen → screen saver
	// ResultIdle is the shorter idle time of a screen that shows a
	// dossier: a citizen who walks away leaves it on screen for less long.
	ResultIdle = 30 * time.Second
)

// Input lengths on the keypad.
const (
	ShortCodeLen = 10 // YYMMDDNNNN, completed with the office's agency id
	DigitsLen    = 4
)

// State is everything a screen renders. It is a value: the screen gets a
// copy and never changes the machine through it.
type State struct {
	Step  Step
	Input string // what the keypad or scanner typed on this step (PIN: its length only matters)
	// Msg is the translation key of a message to show on this step ("" =
	// none), with MsgData for its placeholders.
	Msg     string
	MsgData map[string]any
	Busy    bool // waiting for the directory

	Code         string // the dossier code being looked up (after Lookup)
	Tries        int    // wrong confirmation digits so far
	Details      Details
	Verification Verification

	Query      string
	Procedures []ProcedureInfo
	Procedure  ProcedureInfo

	Services     []string
	Ticket       Ticket
	PrinterError bool // the ticket was not printed

	RateCode string // dossier code a vote is about ("" = none)
	Rating   Rating
	// Gen changes whenever the machine resets; a result computed for an
	// older Gen is dropped.
	Gen int
}

// Machine runs the kiosk's journeys. Its methods are safe for concurrent
// use; those that take a context call the directory (or the printer)
// without holding the machine's lock, so a tick can reset the machine
// meanwhile, and then their result is dropped.
type Machine struct {
	Dir     Directory
	Printer TicketPrinter // nil = no printer
	PIN     *PINGate      // nil = no way out
	Agency  string        // completes short codes typed on the keypad
	Now     func() time.Time
	Idle    time.Duration // 0 = DefaultIdle
	Saver   time.Duration // 0 = DefaultSaver

	mu   sync.Mutex
	st   State
	last time.Time
}

// NewMachine returns a machine on the start screen.
func NewMachine(dir Directory, agency string, now func() time.Time) *Machine {
	if now == nil {
		now = time.Now
	}
	m := &Machine{Dir: dir, Agency: agency, Now: now}
	m.last = now()
	return m
}

// State returns a copy of the current state.
func (m *Machine) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st
}

func (m *Machine) now() time.Time {
	if m.Now == nil {
		return time.Now()
	}
	return m.Now()
}

// touch records activity; caller holds mu.
func (m *Machine) touch() { m.last = m.now() }

// reset clears everything and shows step; caller holds mu.
func (m *Machine) reset(step Step) {
	gen := m.st.Gen + 1
	m.st = State{Step: step, Gen: gen}
}

func (m *Machine) idleFor(step Step) time.Duration {
	d := m.Idle
	if d <= 0 {
		d = DefaultIdle
	}
	if step == StepLookupResult && d > ResultIdle {
		d = ResultIdle
	}
	return d
}

// Tick checks the idle time; it returns true when the state changed (back
// to the start screen, or into the screen saver).
func (m *Machine) Tick(now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	idle := now.Sub(m.last)
	switch m.st.Step {
	case StepSaver, StepExit:
		return false
	case StepHome:
		saver := m.Saver
		if saver <= 0 {
			saver = DefaultSaver
		}
		if idle >= saver {
			m.reset(StepSaver)
			return true
		}
		return false
	}
	if idle >= m.idleFor(m.st.Step) {
		m.reset(StepHome)
		m.last = now
		return true
	}
	return false
}

// Wake leaves the screen saver (any touch).
func (m *Machine) Wake() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touch()
	if m.st.Step == StepSaver {
		m.reset(StepHome)
	}
}

// Home goes back to the start screen, clearing everything.
func (m *Machine) Home() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touch()
	if m.st.Step != StepExit {
		m.reset(StepHome)
	}
}

// Back goes one screen back within a journey (the start screen from its
// first step).
func (m *Machine) Back() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touch()
	switch m.st.Step {
	case StepLookupConfirm:
		gen := m.st.Gen
		m.st = State{Step: StepLookupCode, Gen: gen + 1}
	case StepProcedure:
		m.st.Step, m.st.Procedure, m.st.Msg = StepProcedures, ProcedureInfo{}, ""
	case StepExit:
	default:
		m.reset(StepHome)
	}
}

// Start begins a journey from the start screen: StepLookupCode,
// StepVerifyScan, StepProcedures, StepTicketServices, StepRate or StepPIN.
func (m *Machine) Start(step Step) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touch()
	switch step {
	case StepLookupCode, StepVerifyScan, StepRate, StepPIN:
		m.reset(step)
	case StepProcedures:
		m.reset(step)
		m.st.Procedures = m.Dir.Procedures("")
	case StepTicketServices:
		m.reset(step)
		m.st.Services = m.Dir.Services()
	}
}

// maxInput is the keypad's length limit on each step.
func maxInput(s Step) int {
	switch s {
	case StepLookupCode:
		return ShortCodeLen
	case StepLookupConfirm:
		return DigitsLen
	case StepPIN:
		return MaxPINLen
	}
	return 0
}

// Key types one digit on the on-screen keypad.
func (m *Machine) Key(r rune) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touch()
	if r < '0' || r > '9' || m.st.Busy {
		return
	}
	if len(m.st.Input) < maxInput(m.st.Step) {
		m.st.Input += string(r)
		if m.st.Step != StepLookupConfirm {
			m.st.Msg, m.st.MsgData = keepLockMsg(m.st.Msg), nil
		}
	}
}

func keepLockMsg(msg string) string {
	if msg == "kiosk.pin.locked" {
		return msg
	}
	return ""
}

// Backspace removes the last digit typed.
func (m *Machine) Backspace() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touch()
	if n := len(m.st.Input); n > 0 && !m.st.Busy {
		m.st.Input = m.st.Input[:n-1]
	}
}

// Clear empties what was typed.
func (m *Machine) Clear() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touch()
	if !m.st.Busy {
		m.st.Input = ""
	}
}

// begin marks the machine busy for an I/O call on step; it returns the
// generation to hand to finish, or ok=false when the call must not start.
func (m *Machine) begin(steps ...Step) (State, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touch()
	if m.st.Busy {
		return State{}, false
	}
	for _, s := range steps {
		if m.st.Step == s {
			m.st.Busy = true
			return m.st, true
		}
	}
	return State{}, false
}

// finish applies f to the state if no reset happened since begin.
func (m *Machine) finish(gen int, f func(st *State)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.st.Gen != gen {
		return // reset while the call ran: drop its result
	}
	m.st.Busy = false
	m.touch()
	f(&m.st)
}

// Submit acts on what was typed: the code on StepLookupCode, the digits on
// StepLookupConfirm, the PIN on StepPIN.
func (m *Machine) Submit(ctx context.Context) {
	st, ok := m.begin(StepLookupCode, StepLookupConfirm, StepPIN)
	if !ok {
		return
	}
	switch st.Step {
	case StepLookupCode:
		if st.Input == "" {
			m.finish(st.Gen, func(s *State) { s.Msg = "kiosk.lookup.empty" })
			return
		}
		m.lookup(ctx, st, st.Input)
	case StepLookupConfirm:
		m.confirm(ctx, st)
	case StepPIN:
		m.pin(st)
	}
}

// Scan handles what the QR scanner sent (a receipt QR payload or a code).
// On the start screen, the screen saver and the lookup step it looks the
// dossier up; on the verify step it verifies the receipt.
func (m *Machine) Scan(ctx context.Context, text string) {
	m.mu.Lock()
	if m.st.Step == StepSaver || m.st.Step == StepHome || m.st.Step == StepLookupResult ||
		m.st.Step == StepLookupConfirm || m.st.Step == StepTicket || m.st.Step == StepRateDone {
		// a scan starts a lookup from wherever no input is expected
		m.reset(StepLookupCode)
	}
	m.mu.Unlock()
	st, ok := m.begin(StepLookupCode, StepVerifyScan)
	if !ok {
		return
	}
	if st.Step == StepVerifyScan {
		v := m.Dir.Verify(ctx, strings.TrimSpace(text))
		m.finish(st.Gen, func(s *State) {
			s.Step, s.Verification, s.Input = StepVerifyResult, v, ""
		})
		return
	}
	m.lookup(ctx, st, text)
}

func (m *Machine) lookup(ctx context.Context, st State, text string) {
	sc, err := ParseInput(text, m.Agency)
	if err != nil {
		m.finish(st.Gen, func(s *State) { s.Msg, s.Input = "kiosk.lookup.bad_code", "" })
		return
	}
	sum, err := m.Dir.Lookup(ctx, sc.Code)
	m.finish(st.Gen, func(s *State) {
		switch {
		case err == nil:
			s.Step, s.Code, s.Input, s.Msg, s.Tries = StepLookupConfirm, sum.Code, "", "", 0
		case errors.Is(err, ErrNotFound):
			s.Msg, s.MsgData, s.Input = "kiosk.lookup.not_found", map[string]any{"Code": sc.Code}, ""
		case errors.Is(err, ErrLocked):
			s.Msg, s.Input = "kiosk.lookup.locked", ""
		default:
			s.Msg = "kiosk.unavailable"
		}
	})
}

func (m *Machine) confirm(ctx context.Context, st State) {
	if len(st.Input) != DigitsLen {
		m.finish(st.Gen, func(s *State) { s.Msg = "kiosk.confirm.need4" })
		return
	}
	d, err := m.Dir.Confirm(ctx, st.Code, st.Input)
	m.finish(st.Gen, func(s *State) {
		var wrong *WrongDigitsError
		switch {
		case err == nil:
			s.Step, s.Details, s.Input, s.Msg = StepLookupResult, d, "", ""
			s.RateCode = d.Code
		case errors.As(err, &wrong) && s.Tries+1 < MaxTries:
			s.Tries++
			s.Input = ""
			s.Msg, s.MsgData = "kiosk.confirm.wrong", map[string]any{"Left": wrong.Left}
		case errors.Is(err, ErrLocked), errors.Is(err, ErrWrongDigits):
			// third wrong try: back to the start, everything cleared
			m.reset(StepHome)
			s.Msg = "kiosk.confirm.too_many"
		case errors.Is(err, ErrNoConfirmation):
			s.Msg, s.Input = "kiosk.confirm.no_data", ""
		case errors.Is(err, ErrNotFound):
			m.reset(StepLookupCode)
			s.Msg = "kiosk.lookup.not_found"
			s.MsgData = map[string]any{"Code": st.Code}
		default:
			s.Msg = "kiosk.unavailable"
		}
	})
}

func (m *Machine) pin(st State) {
	if m.PIN == nil {
		m.finish(st.Gen, func(s *State) { s.Msg, s.Input = "kiosk.pin.not_set", "" })
		return
	}
	res, until := m.PIN.Check(st.Input)
	m.finish(st.Gen, func(s *State) {
		s.Input = ""
		switch res {
		case PINOK:
			s.Step, s.Msg = StepExit, ""
		case PINWrong:
			s.Msg = "kiosk.pin.wrong"
		case PINLocked:
			s.Msg, s.MsgData = "kiosk.pin.locked", map[string]any{"Until": until.In(vnZone).Format("15:04")}
		case PINNotSet:
			s.Msg = "kiosk.pin.not_set"
		case PINUnavailable:
			s.Msg = "kiosk.unavailable"
		}
	})
}

// VerifyLookup starts a lookup of the verified receipt's dossier.
func (m *Machine) VerifyLookup(ctx context.Context) {
	st, ok := m.begin(StepVerifyResult)
	if !ok {
		return
	}
	if st.Verification.Code == "" {
		m.finish(st.Gen, func(*State) {})
		return
	}
	m.mu.Lock()
	m.st.Step = StepLookupCode
	m.mu.Unlock()
	st.Step = StepLookupCode
	m.lookup(ctx, st, st.Verification.Code)
}

// Search filters the procedures.
func (m *Machine) Search(query string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touch()
	if m.st.Step != StepProcedures {
		return
	}
	if len(query) > 100 {
		query = query[:100]
	}
	m.st.Query = query
	m.st.Procedures = m.Dir.Procedures(query)
}

// Open shows one procedure of the list.
func (m *Machine) Open(code string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touch()
	if m.st.Step != StepProcedures {
		return
	}
	if p, ok := m.Dir.Procedure(code); ok {
		m.st.Step, m.st.Procedure = StepProcedure, p
	}
}

// TakeTicket takes a number for service and prints it. A printer that is
// missing or fails does not stop the journey: the number is shown on screen
// and the message says no paper came out.
func (m *Machine) TakeTicket(ctx context.Context, service string) {
	st, ok := m.begin(StepTicketServices)
	if !ok {
		return
	}
	t, err := m.Dir.TakeTicket(ctx, service)
	if err != nil {
		m.finish(st.Gen, func(s *State) { s.Msg = "kiosk.unavailable" })
		return
	}
	perr := ErrNoPrinter
	if m.Printer != nil {
		perr = m.Printer.PrintTicket(ctx, m.Dir.Office(ctx), t)
	}
	m.finish(st.Gen, func(s *State) {
		s.Step, s.Ticket, s.PrinterError, s.Msg = StepTicket, t, perr != nil, ""
		if perr != nil {
			s.Msg = "kiosk.ticket.no_printer"
		}
	})
}

// Rate records a vote (about the dossier just looked up, if any).
func (m *Machine) Rate(ctx context.Context, r Rating) {
	m.mu.Lock()
	if m.st.Step == StepLookupResult {
		code := m.st.RateCode
		m.st = State{Step: StepRate, Gen: m.st.Gen, RateCode: code}
	}
	m.mu.Unlock()
	st, ok := m.begin(StepRate)
	if !ok {
		return
	}
	err := m.Dir.Rate(ctx, r, st.RateCode)
	m.finish(st.Gen, func(s *State) {
		if err != nil {
			s.Msg = "kiosk.unavailable"
			return
		}
		s.Step, s.Rating, s.Msg = StepRateDone, r, ""
	})
}

// RateDossier moves from a lookup result to the rating screen, keeping the
// dossier's code for the vote.
func (m *Machine) RateDossier() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touch()
	if m.st.Step == StepLookupResult {
		code := m.st.RateCode
		m.st = State{Step: StepRate, Gen: m.st.Gen + 1, RateCode: code}
	}
}
