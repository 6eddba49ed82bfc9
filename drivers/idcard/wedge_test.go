package idcard

import (
	"strings"
	"testing"
	"time"
)

// typist types into a simulated field with a fixed gap between keys.
type typist struct {
	w    *Wedge
	text string
	t    time.Time
}

func newTypist() *typist {
	tp := &typist{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	tp.w = NewWedge(func() time.Time { return tp.t })
	return tp
}

func (tp *typist) typeText(s string, gap time.Duration) {
	for _, r := range s {
		tp.t = tp.t.Add(gap)
		tp.text += string(r)
		tp.w.Changed(tp.text)
	}
}

func (tp *typist) enter(gap time.Duration) WedgeResult {
	tp.t = tp.t.Add(gap)
	return tp.w.Submitted(tp.text)
}

func TestWedge(t *testing.T) {
	fast, slow := 5*time.Millisecond, 120*time.Millisecond
	mrz := strings.Split(vnMRZ(), "\n")
	t.Run("a scanner's fast QR burst ending with Enter is a card, and the field's old text comes back", func(t *testing.T) {
		tp := newTypist()
		tp.typeText("Ng", slow)
		tp.t = tp.t.Add(time.Second)
		tp.typeText(qr2021, fast)
		r := tp.enter(fast)
		if r.Kind != WedgeCard || r.Identity.IDNumber != "001088012345" || r.Restore != "Ng" {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("a scan starting right after a key press still restores that key", func(t *testing.T) {
		tp := newTypist()
		tp.typeText("Ng", slow)
		tp.typeText(qr2021, fast)
		r := tp.enter(fast)
		if r.Kind != WedgeCard || r.Restore != "Ng" {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("a clerk typing the same text slowly is ordinary typing", func(t *testing.T) {
		tp := newTypist()
		tp.typeText(qr2021, slow)
		if r := tp.enter(slow); r.Kind != WedgeNone {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("a fast burst that is not a card is ordinary typing", func(t *testing.T) {
		tp := newTypist()
		tp.typeText("Số 12 đường Nguyễn Trãi, phường Thanh Xuân", fast)
		if r := tp.enter(fast); r.Kind != WedgeNone {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("a burst followed by a slow Enter is ordinary typing", func(t *testing.T) {
		tp := newTypist()
		tp.typeText(qr2021, fast)
		if r := tp.enter(time.Second); r.Kind != WedgeNone {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("three MRZ lines each ended by Enter are one card", func(t *testing.T) {
		tp := newTypist()
		for i, l := range mrz {
			tp.typeText(l, fast)
			r := tp.enter(fast)
			want := WedgePending
			if i == 2 {
				want = WedgeCard
			}
			if r.Kind != want {
				t.Fatalf("line %d: got %+v", i+1, r)
			}
			if i == 2 && (r.Identity.IDNumber != "001088012345" || r.Restore != "") {
				t.Fatalf("got %+v", r)
			}
		}
	})
	t.Run("a card-shaped burst that fails a check is reported as a misread", func(t *testing.T) {
		tp := newTypist()
		tp.typeText(strings.Replace(qr2021, "01011988", "01011999", 1), fast)
		r := tp.enter(fast)
		if r.Kind != WedgeInvalid || r.Err == nil {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("a pasted card string is not a scan", func(t *testing.T) {
		tp := newTypist()
		tp.t = tp.t.Add(fast)
		tp.text = qr2021
		tp.w.Changed(tp.text)
		if r := tp.enter(fast); r.Kind != WedgeNone {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("editing in the middle of a burst cancels it", func(t *testing.T) {
		tp := newTypist()
		tp.typeText(qr2021, fast)
		tp.text = tp.text[:len(tp.text)-1]
		tp.w.Changed(tp.text)
		if r := tp.enter(fast); r.Kind != WedgeNone {
			t.Fatalf("got %+v", r)
		}
	})
}
