package demo_test

import (
	"os"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/citizen"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
)

func generator(t *testing.T, seed uint64) (*demo.Generator, *calendar.Calendar) {
	t.Helper()
	data, err := os.ReadFile("../../assets/catalog/default.json")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	cal := calendar.New(calendar.DefaultHours())
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, calendar.VN)
	return demo.New(seed, cat.InForce(now), cal, "phường Ba Đình", []string{"canbo"}, calendar.VN), cal
}

func TestSyntheticApplicantsPassTheCounterValidation(t *testing.T) {
	g, _ := generator(t, 1)
	for i := 0; i < 2000; i++ {
		a := g.Person()
		if err := citizen.ValidateID(a.IDNumber, a.BirthDate, a.Sex); err != nil {
			t.Fatalf("%+v: %v", a, err)
		}
		if err := citizen.ValidateName(a.FullName); err != nil {
			t.Fatalf("%q: %v", a.FullName, err)
		}
		if _, err := citizen.NormalizePhone(a.Phone); err != nil {
			t.Fatalf("%q: %v", a.Phone, err)
		}
	}
}

func TestDossiersFallOnWorkingDaysInOrderWithTheirAppointments(t *testing.T) {
	g, cal := generator(t, 2)
	end := time.Date(2026, 11, 23, 16, 0, 0, 0, calendar.VN)
	ds := g.Dossiers(500, 40, end)
	if len(ds) != 500 {
		t.Fatalf("got %d dossiers", len(ds))
	}
	statuses := map[dossier.Status]int{}
	for i, d := range ds {
		if !cal.IsWorkingDay(d.ReceivedAt) {
			t.Fatalf("dossier %d received on a day off: %s", i, d.ReceivedAt)
		}
		if d.ReceivedAt.After(end) || !d.DueAt.After(d.ReceivedAt) {
			t.Fatalf("dossier %d: received %s due %s (end %s)", i, d.ReceivedAt, d.DueAt, end)
		}
		if i > 0 && !ds[i-1].ReceivedAt.Before(d.ReceivedAt) {
			t.Fatalf("dossiers not oldest first at %d: %s then %s", i, ds[i-1].ReceivedAt, d.ReceivedAt)
		}
		if len(d.Papers) == 0 || d.ProcedureName == "" {
			t.Fatalf("dossier %d has no papers or procedure", i)
		}
		statuses[d.Status]++
	}
	if statuses[dossier.StatusReturned] == 0 || statuses[dossier.StatusReceived] == 0 {
		t.Fatalf("statuses %v: want old dossiers returned and recent ones still received", statuses)
	}
}

func TestTheSameSeedMakesTheSameDossiers(t *testing.T) {
	end := time.Date(2026, 11, 23, 16, 0, 0, 0, calendar.VN)
	g1, _ := generator(t, 42)
	g2, _ := generator(t, 42)
	a, b := g1.Dossiers(50, 10, end), g2.Dossiers(50, 10, end)
	for i := range a {
		if a[i].Applicant != b[i].Applicant || !a[i].ReceivedAt.Equal(b[i].ReceivedAt) {
			t.Fatalf("dossier %d differs", i)
		}
	}
}
