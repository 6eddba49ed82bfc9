package widgets

import (
	"sync/atomic"
	"testing"
)

func TestTasksWaitForNestedTasks(t *testing.T) {
	var tasks Tasks
	var n atomic.Int32
	tasks.Go(func() {
		n.Add(1)
		tasks.Go(func() { n.Add(1) })
	})
	tasks.Wait()
	if n.Load() != 2 {
		t.Fatalf("%d tasks ran before Wait returned", n.Load())
	}
	tasks.Inline = true
	ran := false
	tasks.Go(func() { ran = true })
	if !ran {
		t.Fatal("inline task did not run at once")
	}
}
