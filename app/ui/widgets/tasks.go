package widgets

import "sync"

// Tasks runs loading and saving work off the UI goroutine. Each task must
// apply its result to widgets inside fyne.Do. Tests call Wait after an action
// to know every task it started has finished, instead of sleeping.
type Tasks struct {
	wg sync.WaitGroup
}

// Go runs f in a new goroutine.
func (t *Tasks) Go(f func()) {
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		f()
	}()
}

// Wait blocks until every task started so far has returned.
func (t *Tasks) Wait() { t.wg.Wait() }
