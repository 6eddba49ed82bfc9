package kiosk_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/kiosk"
	"github.com/motcua/motcua/internal/store"
)

var ctx = context.Background()

func TestJourneys(t *testing.T) {
	type want struct {
		step    kiosk.Step
		msg     string
		status  dossier.Status
		name    string
		tries   int
		printed int
	}
	cases := []struct {
		name    string
		printer error // nil = a working printer
		run     func(e *env, m *kiosk.Machine)
		want    want
	}{
		{"a citizen who types the code and the last 4 digits of the ID sees the masked status", nil,
			func(e *env, m *kiosk.Machine) {
				m.Start(kiosk.StepLookupCode)
				typeDigits(m, shortCode(e.ready))
				m.Submit(ctx)
				typeDigits(m, "2345")
				m.Submit(ctx)
			}, want{step: kiosk.StepLookupResult, status: dossier.StatusDone, name: "Nguyễn V*** A**"}},
		{"the last 4 digits of the phone confirm too", nil,
			func(e *env, m *kiosk.Machine) {
				m.Start(kiosk.StepLookupCode)
				typeDigits(m, shortCode(e.supplement))
				m.Submit(ctx)
				typeDigits(m, "0001")
				m.Submit(ctx)
			}, want{step: kiosk.StepLookupResult, status: dossier.StatusSupplement, name: "Trần T*** B*** N**"}},
		{"scanning a receipt on the start screen goes straight to the confirmation", nil,
			func(e *env, m *kiosk.Machine) { m.Scan(ctx, e.qr(nil, e.ready)+"\r\n") },
			want{step: kiosk.StepLookupConfirm}},
		{"scanning a full code typed by a keyboard wedge works too", nil,
			func(e *env, m *kiosk.Machine) { m.Scan(ctx, " "+strings.ToLower(e.ready.Code.String())+"\n") },
			want{step: kiosk.StepLookupConfirm}},
		{"an unknown code says so and stays on the code step", nil,
			func(e *env, m *kiosk.Machine) {
				m.Start(kiosk.StepLookupCode)
				typeDigits(m, "2611239999")
				m.Submit(ctx)
			}, want{step: kiosk.StepLookupCode, msg: "kiosk.lookup.not_found"}},
		{"a code that cannot be one says so", nil,
			func(e *env, m *kiosk.Machine) {
				m.Start(kiosk.StepLookupCode)
				typeDigits(m, "123")
				m.Submit(ctx)
			}, want{step: kiosk.StepLookupCode, msg: "kiosk.lookup.bad_code"}},
		{"submitting nothing asks for the code", nil,
			func(e *env, m *kiosk.Machine) { m.Start(kiosk.StepLookupCode); m.Submit(ctx) },
			want{step: kiosk.StepLookupCode, msg: "kiosk.lookup.empty"}},
		{"fewer than 4 digits are not checked and cost no try", nil,
			func(e *env, m *kiosk.Machine) {
				m.Scan(ctx, e.ready.Code.String())
				typeDigits(m, "23")
				m.Submit(ctx)
			}, want{step: kiosk.StepLookupConfirm, msg: "kiosk.confirm.need4"}},
		{"one wrong try says how many are left", nil,
			func(e *env, m *kiosk.Machine) {
				m.Scan(ctx, e.ready.Code.String())
				typeDigits(m, "1111")
				m.Submit(ctx)
			}, want{step: kiosk.StepLookupConfirm, msg: "kiosk.confirm.wrong", tries: 1}},
		{"wrong digits three times go back to the start with everything cleared", nil,
			func(e *env, m *kiosk.Machine) {
				m.Scan(ctx, e.ready.Code.String())
				for range 3 {
					typeDigits(m, "1111")
					m.Submit(ctx)
				}
			}, want{step: kiosk.StepHome, msg: "kiosk.confirm.too_many"}},
		{"after three wrong tries the code stays locked, even the right digits", nil,
			func(e *env, m *kiosk.Machine) {
				m.Scan(ctx, e.ready.Code.String())
				for range 3 {
					typeDigits(m, "1111")
					m.Submit(ctx)
				}
				m.Scan(ctx, e.ready.Code.String())
			}, want{step: kiosk.StepLookupCode, msg: "kiosk.lookup.locked"}},
		{"the lock ends after LockFor", nil,
			func(e *env, m *kiosk.Machine) {
				m.Scan(ctx, e.ready.Code.String())
				for range 3 {
					typeDigits(m, "1111")
					m.Submit(ctx)
				}
				e.clock.Advance(kiosk.LockFor)
				m.Scan(ctx, e.ready.Code.String())
				typeDigits(m, "5678")
				m.Submit(ctx)
			}, want{step: kiosk.StepLookupResult, status: dossier.StatusDone, name: "Nguyễn V*** A**"}},
		{"going back to the start does not give more tries", nil,
			func(e *env, m *kiosk.Machine) {
				for range 3 {
					m.Scan(ctx, e.ready.Code.String())
					typeDigits(m, "1111")
					m.Submit(ctx)
					m.Home()
				}
				m.Scan(ctx, e.ready.Code.String())
			}, want{step: kiosk.StepLookupCode, msg: "kiosk.lookup.locked"}},
		{"a dossier with no ID number or phone cannot be confirmed here", nil,
			func(e *env, m *kiosk.Machine) {
				m.Scan(ctx, e.noContact.Code.String())
				typeDigits(m, "0000")
				m.Submit(ctx)
			}, want{step: kiosk.StepLookupConfirm, msg: "kiosk.confirm.no_data"}},
		{"a ticket is printed when the printer works", nil,
			func(e *env, m *kiosk.Machine) {
				m.Start(kiosk.StepTicketServices)
				m.TakeTicket(ctx, "Hộ tịch")
			}, want{step: kiosk.StepTicket, printed: 1}},
		{"printer missing: the number is shown and the kiosk says no paper came out", kiosk.ErrNoPrinter,
			func(e *env, m *kiosk.Machine) {
				m.Start(kiosk.StepTicketServices)
				m.TakeTicket(ctx, "Hộ tịch")
			}, want{step: kiosk.StepTicket, msg: "kiosk.ticket.no_printer"}},
		{"an unknown service takes no number", nil,
			func(e *env, m *kiosk.Machine) {
				m.Start(kiosk.StepTicketServices)
				m.TakeTicket(ctx, "Không có")
			}, want{step: kiosk.StepTicketServices, msg: "kiosk.unavailable"}},
		{"a vote after a lookup thanks the citizen", nil,
			func(e *env, m *kiosk.Machine) {
				m.Scan(ctx, e.ready.Code.String())
				typeDigits(m, "2345")
				m.Submit(ctx)
				m.RateDossier()
				m.Rate(ctx, kiosk.VerySatisfied)
			}, want{step: kiosk.StepRateDone}},
		{"the exit without a PIN set is refused", nil,
			func(e *env, m *kiosk.Machine) {
				m.Start(kiosk.StepPIN)
				typeDigits(m, "1234")
				m.Submit(ctx)
			}, want{step: kiosk.StepPIN, msg: "kiosk.pin.not_set"}},
		{"back from the confirmation returns to the code step", nil,
			func(e *env, m *kiosk.Machine) {
				m.Scan(ctx, e.ready.Code.String())
				typeDigits(m, "12")
				m.Back()
			}, want{step: kiosk.StepLookupCode}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			p := &printer{err: tc.printer}
			m := e.machine(p)
			tc.run(e, m)
			st := m.State()
			if st.Step != tc.want.step || st.Msg != tc.want.msg {
				t.Fatalf("step %v msg %q, want %v %q", st.Step, st.Msg, tc.want.step, tc.want.msg)
			}
			if st.Details.Status != tc.want.status || st.Details.Name != tc.want.name {
				t.Errorf("details %+v, want status %v name %q", st.Details, tc.want.status, tc.want.name)
			}
			if st.Tries != tc.want.tries {
				t.Errorf("tries %d, want %d", st.Tries, tc.want.tries)
			}
			if len(p.tickets) != tc.want.printed {
				t.Errorf("printed %d tickets, want %d", len(p.tickets), tc.want.printed)
			}
			if st.Busy {
				t.Error("left busy")
			}
		})
	}
}

// reach drives a fresh machine to step with something typed or shown.
var reach = map[kiosk.Step]func(e *env, m *kiosk.Machine){
	kiosk.StepLookupCode: func(e *env, m *kiosk.Machine) { m.Start(kiosk.StepLookupCode); typeDigits(m, "26112") },
	kiosk.StepLookupConfirm: func(e *env, m *kiosk.Machine) {
		m.Scan(ctx, e.ready.Code.String())
		typeDigits(m, "23")
	},
	kiosk.StepLookupResult: func(e *env, m *kiosk.Machine) {
		m.Scan(ctx, e.ready.Code.String())
		typeDigits(m, "2345")
		m.Submit(ctx)
	},
	kiosk.StepVerifyScan:   func(e *env, m *kiosk.Machine) { m.Start(kiosk.StepVerifyScan) },
	kiosk.StepVerifyResult: func(e *env, m *kiosk.Machine) { m.Start(kiosk.StepVerifyScan); m.Scan(ctx, e.qr(nil, e.ready)) },
	kiosk.StepProcedures:   func(e *env, m *kiosk.Machine) { m.Start(kiosk.StepProcedures); m.Search("khai sinh") },
	kiosk.StepProcedure: func(e *env, m *kiosk.Machine) {
		m.Start(kiosk.StepProcedures)
		m.Open(m.State().Procedures[0].Code)
	},
	kiosk.StepTicketServices: func(e *env, m *kiosk.Machine) { m.Start(kiosk.StepTicketServices) },
	kiosk.StepTicket: func(e *env, m *kiosk.Machine) {
		m.Start(kiosk.StepTicketServices)
		m.TakeTicket(ctx, m.State().Services[0])
	},
	kiosk.StepRate:     func(e *env, m *kiosk.Machine) { m.Start(kiosk.StepRate) },
	kiosk.StepRateDone: func(e *env, m *kiosk.Machine) { m.Start(kiosk.StepRate); m.Rate(ctx, kiosk.Satisfied) },
	kiosk.StepPIN:      func(e *env, m *kiosk.Machine) { m.Start(kiosk.StepPIN); typeDigits(m, "12") },
}

func TestIdleResetInTheMiddleOfEachStep(t *testing.T) {
	for _, step := range kiosk.Steps {
		if step == kiosk.StepHome || step == kiosk.StepSaver {
			continue
		}
		t.Run(step.String(), func(t *testing.T) {
			e := newEnv(t)
			m := e.machine(&printer{})
			reach[step](e, m)
			if got := m.State().Step; got != step {
				t.Fatalf("reached %v, want %v", got, step)
			}
			idle := kiosk.DefaultIdle
			if step == kiosk.StepLookupResult {
				idle = kiosk.ResultIdle
			}
			e.clock.Advance(idle - time.Second)
			if m.Tick(e.clock.Now()) {
				t.Fatal("reset before the idle time")
			}
			e.clock.Advance(time.Second)
			if !m.Tick(e.clock.Now()) {
				t.Fatal("no reset at the idle time")
			}
			st := m.State()
			if st.Step != kiosk.StepHome || st.Input != "" || st.Code != "" || st.Details != (kiosk.Details{}) ||
				st.Verification != (kiosk.Verification{}) || st.Ticket != (kiosk.Ticket{}) || st.RateCode != "" || st.Tries != 0 {
				t.Fatalf("not cleared: %+v", st)
			}
			// on the start screen the idle time leads to the screen saver, and a touch back
			e.clock.Advance(kiosk.DefaultSaver)
			if !m.Tick(e.clock.Now()) || m.State().Step != kiosk.StepSaver {
				t.Fatalf("no screen saver: %v", m.State().Step)
			}
			m.Wake()
			if m.State().Step != kiosk.StepHome {
				t.Fatal("touch does not leave the screen saver")
			}
		})
	}
}

// slowDir blocks Lookup and Confirm until release is closed, to reset the
// machine while they run.
type slowDir struct {
	kiosk.Directory
	entered chan struct{}
	release chan struct{}
}

func (d *slowDir) Lookup(ctx context.Context, code string) (kiosk.Summary, error) {
	d.entered <- struct{}{}
	<-d.release
	return d.Directory.Lookup(ctx, code)
}

func TestResultOfAStepResetWhileLoadingIsDropped(t *testing.T) {
	e := newEnv(t)
	d := &slowDir{Directory: e.svc, entered: make(chan struct{}), release: make(chan struct{})}
	m := kiosk.NewMachine(d, agency, e.clock.Now)
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Scan(ctx, e.ready.Code.String())
	}()
	<-d.entered
	if !m.State().Busy {
		t.Fatal("not busy while looking up")
	}
	m.Key('1') // ignored while busy
	e.clock.Advance(kiosk.DefaultIdle)
	if !m.Tick(e.clock.Now()) {
		t.Fatal("no idle reset while loading")
	}
	close(d.release)
	<-done
	if st := m.State(); st.Step != kiosk.StepHome || st.Code != "" || st.Busy {
		t.Fatalf("late result applied: %+v", st)
	}
}

func TestVerifyReceipt(t *testing.T) {
	e := newEnv(t)
	good := e.qr(t, e.ready)
	// altered: the appointment pushed by one minute, signature kept
	parts := strings.Split(good, ".")
	n := len(parts)
	altered := strings.Join(append(append([]string{}, parts[:n-3]...), bump(parts[n-3]), parts[n-2], parts[n-1]), ".")
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	cases := []struct {
		name  string
		qr    string
		want  kiosk.VerifyResult
		known bool
	}{
		{"a receipt signed by this office is genuine", good, kiosk.VerifyValid, true},
		{"a receipt whose date was altered is reported as forged", altered, kiosk.VerifyForged, false},
		{"a receipt of an office whose key is unknown cannot be verified", sign(t, e.ready, other), kiosk.VerifyUnknownKey, false},
		{"a plain code is not a receipt", e.ready.Code.String(), kiosk.VerifyMalformed, false},
		{"garbage is not a receipt", "MC1.x.y", kiosk.VerifyMalformed, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := e.machine(nil)
			m.Start(kiosk.StepVerifyScan)
			m.Scan(ctx, tc.qr)
			st := m.State()
			if st.Step != kiosk.StepVerifyResult || st.Verification.Result != tc.want || st.Verification.Known != tc.known {
				t.Fatalf("%v %+v, want %v known=%v", st.Step, st.Verification, tc.want, tc.known)
			}
			if tc.want != kiosk.VerifyValid && (st.Verification.Code != "" || !st.Verification.DueAt.IsZero()) {
				t.Error("fields of an unverified receipt shown as vouched for")
			}
		})
	}
	// a genuine receipt leads on to the lookup, which still asks for the digits
	m := e.machine(nil)
	m.Start(kiosk.StepVerifyScan)
	m.Scan(ctx, good)
	m.VerifyLookup(ctx)
	if st := m.State(); st.Step != kiosk.StepLookupConfirm || st.Code != e.ready.Code.String() {
		t.Fatalf("verify → lookup: %+v", st)
	}
}

// bump changes the last base-36 digit of a minute count.
func bump(s string) string {
	last := s[len(s)-1]
	if last == 'z' {
		last = 'y'
	} else if last == '9' {
		last = 'a'
	} else {
		last++
	}
	return s[:len(s)-1] + string(last)
}

func TestProceduresAndTickets(t *testing.T) {
	e := newEnv(t)
	m := e.machine(&printer{})
	m.Start(kiosk.StepProcedures)
	all := len(m.State().Procedures)
	if all == 0 {
		t.Fatal("no procedures")
	}
	m.Search("khai sinh")
	ps := m.State().Procedures
	if len(ps) == 0 || len(ps) >= all || !strings.Contains(ps[0].Name, "khai sinh") {
		t.Fatalf("search: %d of %d, first %+v", len(ps), all, ps)
	}
	m.Open(ps[0].Code)
	p := m.State().Procedure
	if m.State().Step != kiosk.StepProcedure || len(p.Papers) == 0 || p.Deadline == "" || p.Where == "" {
		t.Fatalf("procedure: %+v", p)
	}
	m.Back()
	if m.State().Step != kiosk.StepProcedures {
		t.Fatal("back from a procedure")
	}

	// numbering per day and service, and the queue survives a new service object (restart)
	svcs := e.svc.Services()
	if svcs[len(svcs)-1] != kiosk.ServiceResults {
		t.Fatalf("services %v", svcs)
	}
	take := func(s string) kiosk.Ticket {
		t.Helper()
		tk, err := e.svc.TakeTicket(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	a1, a2, b1 := take(svcs[0]), take(svcs[0]), take(svcs[1])
	if a1.Label != "A001" || a2.Label != "A002" || b1.Label != "B001" || a2.Waiting != 1 {
		t.Fatalf("labels %s %s %s waiting %d", a1.Label, a2.Label, b1.Label, a2.Waiting)
	}
	svc2, _, err := e.Kiosk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tk, _ := svc2.TakeTicket(ctx, svcs[0]); tk.Label != "A003" {
		t.Fatalf("after restart: %s", tk.Label)
	}
	next, err := e.Store.CallNextTicket(ctx, "", "quay-1")
	if err != nil || next.Number != 1 || next.Service != svcs[0] {
		t.Fatalf("call next: %+v %v", next, err)
	}
	e.clock.Advance(24 * time.Hour)
	if tk := take(svcs[0]); tk.Label != "A001" {
		t.Fatalf("next day: %s", tk.Label)
	}
	if _, err := e.Store.CallNextTicket(ctx, svcs[1], "quay-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("yesterday's tickets called today: %v", err)
	}
}

func TestVotesAreStoredAndQueuedForSync(t *testing.T) {
	e := newEnv(t)
	m := e.machine(nil)
	m.Start(kiosk.StepRate)
	m.Rate(ctx, kiosk.NotSatisfied)
	reach[kiosk.StepLookupResult](e, m)
	m.RateDossier()
	m.Rate(ctx, kiosk.VerySatisfied)
	counts, err := e.Store.VoteCounts(ctx, start.Add(-time.Hour), start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if counts[store.RatingNotSatisfied] != 1 || counts[store.RatingVerySatisfied] != 1 {
		t.Fatalf("counts %v", counts)
	}
	evs, err := e.Store.PendingOutbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var votes, linked int
	for _, ev := range evs {
		if ev.Kind == "satisfaction.vote" {
			votes++
			if ev.DossierID == e.ready.ID {
				linked++
			}
		}
	}
	if votes != 2 || linked != 1 {
		t.Fatalf("outbox votes %d linked %d", votes, linked)
	}
}

func TestPINExitIsRateLimited(t *testing.T) {
	e := newEnv(t)
	hash, err := auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}.Hash("246810")
	if err != nil {
		t.Fatal(err)
	}
	m := e.machine(nil)
	m.PIN = &kiosk.PINGate{Hash: hash, Verify: auth.VerifyPassword, Now: e.clock.Now}
	try := func(pin string) kiosk.State {
		m.Start(kiosk.StepPIN)
		typeDigits(m, pin)
		m.Submit(ctx)
		return m.State()
	}
	for i := 1; i < kiosk.PINFreeTries; i++ {
		if st := try("111111"); st.Msg != "kiosk.pin.wrong" {
			t.Fatalf("try %d: %q", i, st.Msg)
		}
	}
	if st := try("111111"); st.Msg != "kiosk.pin.locked" || st.MsgData["Until"] != "09:01" {
		t.Fatalf("third wrong PIN: %q %v", st.Msg, st.MsgData)
	}
	if st := try("246810"); st.Step != kiosk.StepPIN || st.Msg != "kiosk.pin.locked" {
		t.Fatalf("right PIN accepted while locked: %v %q", st.Step, st.Msg)
	}
	e.clock.Advance(kiosk.PINLockBase)
	if st := try("222222"); st.Msg != "kiosk.pin.locked" || st.MsgData["Until"] != "09:03" {
		t.Fatalf("fourth wrong PIN doubles the wait: %q %v", st.Msg, st.MsgData)
	}
	e.clock.Advance(2 * kiosk.PINLockBase)
	if st := try("246810"); st.Step != kiosk.StepExit {
		t.Fatalf("right PIN after the wait: %v %q", st.Step, st.Msg)
	}
	if m.Tick(e.clock.Now().Add(time.Hour)); m.State().Step != kiosk.StepExit {
		t.Fatal("idle reset after exit")
	}
}

// TestNothingShownBeforeConfirmation walks every journey and checks that no
// state a screen gets holds the applicant's name, ID number, phone or
// address, and that nothing of the dossier but its code is there before the
// digits matched.
func TestNothingShownBeforeConfirmation(t *testing.T) {
	e := newEnv(t)
	secret := []string{"Nguyễn Văn An", "Văn", "001090012345", "0912345678", "Đội Cấn", "12345", "5678"}
	before := []string{"Đăng ký khai sinh", "Nguyễn V", "kiosk.status", "Done"}
	check := func(label string, st kiosk.State, confirmed bool) {
		t.Helper()
		s := fmt.Sprintf("%+v", st)
		for _, x := range secret {
			if strings.Contains(s, x) {
				t.Errorf("%s: state shows %q: %s", label, x, s)
			}
		}
		if !confirmed {
			for _, x := range before {
				if strings.Contains(s, x) {
					t.Errorf("%s: state shows %q before confirmation", label, x)
				}
			}
		}
	}
	m := e.machine(nil)
	m.Scan(ctx, e.qr(t, e.ready))
	check("after scan", m.State(), false)
	for _, digits := range []string{"0000", "9999"} {
		typeDigits(m, digits)
		check("typing", m.State(), false)
		m.Submit(ctx)
		check("wrong digits", m.State(), false)
	}
	typeDigits(m, "2345")
	m.Submit(ctx)
	check("confirmed", m.State(), true)
	if m.State().Step != kiosk.StepLookupResult {
		t.Fatal("not confirmed")
	}
	// the Directory itself answers Lookup with the code only
	sum, err := e.svc.Lookup(ctx, e.ready.Code.String())
	if err != nil || sum != (kiosk.Summary{Code: e.ready.Code.String()}) {
		t.Fatalf("lookup %+v %v", sum, err)
	}
	// and Confirm refuses everything but the 4 digits
	for _, d := range []string{"", "234", "23456", "2345 ", "abcd", "001090012345"} {
		if _, err := e.svc.Confirm(ctx, e.supplement.Code.String(), d); err == nil {
			t.Errorf("confirm with %q accepted", d)
		}
	}
}

func TestGlobalConfirmationLimit(t *testing.T) {
	e := newEnv(t)
	// a person walking through many codes, three wrong tries each, so that
	// no single code's lock stops them
	var failures int
	for i := 0; failures < kiosk.GlobalMaxFailures; i++ {
		d := e.seed(t, fmt.Sprintf("Phạm Văn %c", 'A'+i), "001090000000", "", dossier.StatusReceived)
		for range kiosk.MaxTries {
			if _, err := e.svc.Confirm(ctx, d.Code.String(), "1111"); !errors.Is(err, kiosk.ErrWrongDigits) && !errors.Is(err, kiosk.ErrLocked) {
				t.Fatalf("confirm: %v", err)
			}
			failures++
		}
	}
	if _, err := e.svc.Lookup(ctx, e.ready.Code.String()); !errors.Is(err, kiosk.ErrLocked) {
		t.Fatalf("after %d failures on many codes a fresh code is not locked: %v", failures, err)
	}
	e.clock.Advance(kiosk.GlobalWindow)
	if _, err := e.svc.Lookup(ctx, e.ready.Code.String()); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestMaskName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Nguyễn Văn An", "Nguyễn V*** A**"},
		{"  trần   thị bích ngọc ", "trần T*** B*** N**"},
		{"Lê", "L***"},
		{"", ""},
		{"Nguyê\u0303n Văn Ánh", "Nguyễn V*** Á**"}, // combining marks are composed first
	}
	for _, c := range cases {
		if got := kiosk.MaskName(c.in); got != c.want {
			t.Errorf("MaskName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
