package receipt

import (
	"strings"
	"testing"
	"time"
)

func TestScratchWrapSpeed(t *testing.T) {
	s, _ := newSheet()
	s.newPage()
	for _, n := range []int{100, 200, 400} {
		st := time.Now()
		s.wrap([]span{r(strings.Repeat("ư", n))}, 11, 1, 0)
		t.Log(n, time.Since(st))
		st = time.Now()
		s.wrap([]span{r(strings.Repeat("ư", n))}, 11, 300, 0)
		t.Log(n, time.Since(st))
	}
}
