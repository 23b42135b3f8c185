package store

import "time"

// afterWrites runs a function on a goroutine of its own after writes commit, at most once per
// interval: a write that commits while it runs, or during the pause after, makes one more run.
// The checkpointer and the writeback are both made of one.
type afterWrites struct {
	kicked chan struct{}
	stop   chan struct{}
	done   chan struct{}
}

// startAfterWrites starts the goroutine that calls fn after kicks, then pauses for every.
func startAfterWrites(every time.Duration, fn func()) *afterWrites {
	a := &afterWrites{kicked: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go a.run(every, fn)
	return a
}

// kick tells the goroutine that a write committed. It never blocks.
func (a *afterWrites) kick() {
	select {
	case a.kicked <- struct{}{}:
	default:
	}
}

// close stops the goroutine, waiting for a run in progress.
func (a *afterWrites) close() {
	close(a.stop)
	<-a.done
}

func (a *afterWrites) run(every time.Duration, fn func()) {
	defer close(a.done)
	pause := time.NewTimer(every)
	pause.Stop()
	for {
		select {
		case <-a.stop:
			return
		case <-a.kicked:
		}
		fn()
		pause.Reset(every)
		select {
		case <-a.stop:
			return
		case <-pause.C:
		}
	}
}
