package widgets

import "sync"

// Tasks runs loading and saving work off the UI goroutine. Each task must
// apply its result to widgets inside fyne.Do. Tests call Wait after an action
// to know every task it started has finished, instead of sleeping.
type Tasks struct {
	// Inline runs every task on the calling goroutine. GUI tests set it: the
	// Fyne test driver runs fyne.Do's function on the goroutine that calls
	// it, so a background task would touch widgets while the test does.
	// The production driver queues fyne.Do to the UI goroutine instead.
	Inline bool

	wg sync.WaitGroup
}

// Go runs f in a new goroutine (or at once when Inline).
func (t *Tasks) Go(f func()) {
	if t.Inline {
		f()
		return
	}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		f()
	}()
}

// Wait blocks until every task started so far has returned.
func (t *Tasks) Wait() { t.wg.Wait() }
