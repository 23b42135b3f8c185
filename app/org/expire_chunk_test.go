package org

import (
	"testing"
	"time"
)

// TestChunkSizerAimsAtTheTarget checks that expire chunks shrink when rows are slow and grow when
// they are fast, by bounded steps, within the bounds, and in multiples of the minimum.
func TestChunkSizerAimsAtTheTarget(t *testing.T) {
	c := newChunkSizer()
	if c.size() != ExpireChunk {
		t.Fatalf("the first chunk has %d rows, want %d", c.size(), ExpireChunk)
	}
	steps := []struct {
		rows int
		took time.Duration
		want int
	}{
		{250, 2 * expireChunkTarget, 125},     // twice too slow: half the rows
		{125, expireChunkTarget, 125},         // on target: unchanged
		{125, 100 * expireChunkTarget, 25},    // a long pause: a quarter at most, in multiples of 25
		{25, 100 * expireChunkTarget, 25},     // never below the minimum
		{25, expireChunkTarget / 100, 50},     // very fast: at most double
		{10, expireChunkTarget / 100, 50},     // a short last chunk says nothing
		{50, expireChunkTarget * 2 / 3, 75},   // 75 rows would take the target
		{75, expireChunkTarget * 10 / 11, 75}, // 82 rounds down to 75
	}
	for i, s := range steps {
		c.took(s.rows, s.took)
		if c.size() != s.want {
			t.Fatalf("step %d: after %d rows in %v the next chunk has %d rows, want %d", i, s.rows, s.took, c.size(), s.want)
		}
	}
	for range 20 {
		c.took(c.size(), time.Microsecond)
	}
	if c.size() != expireChunkMax {
		t.Fatalf("fast rows grow chunks to %d, want the maximum %d", c.size(), expireChunkMax)
	}
}
