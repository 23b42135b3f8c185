package password

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHashRefusesBeforeHashing(t *testing.T) {
	t.Parallel()
	h := New(1)
	c := &counting{}
	c.install(h)
	for in, want := range map[string]error{"short": ErrTooShort, strings.Repeat("p", 129): ErrTooLong, strings.Repeat("p", 1<<20): ErrTooLong} {
		if enc, err := h.Hash(context.Background(), in); enc != "" || !errors.Is(err, want) {
			t.Errorf("Hash(%d chars) = %q, %v; want %v", len(in), enc, err, want)
		}
	}
	if n := c.calls.Load(); n != 0 {
		t.Fatalf("key derivation ran %d times for refused passwords; want 0", n)
	}
}

func TestVerifyTooLongNeverMatchesButSpendsTheTime(t *testing.T) {
	t.Parallel()
	h := New(1)
	c := &counting{}
	c.install(h)
	long := strings.Repeat("p", 129)
	enc := encode(DefaultParams, make([]byte, 16), make([]byte, 32)) // the counting derive returns zeros
	ok, err := h.Verify(context.Background(), enc, long)
	if ok || err != nil {
		t.Fatalf("Verify(129 chars) = %v, %v; want false, nil", ok, err)
	}
	if n := c.calls.Load(); n != 1 {
		t.Fatalf("key derivation ran %d times; want 1 so timing matches a normal verify", n)
	}
}

func TestConcurrencyCap(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ max, want int }{{0, 2}, {-5, 2}, {1, 1}, {3, 3}} {
		h := New(tt.max)
		c := &counting{hold: 20 * time.Millisecond}
		c.install(h)
		var wg sync.WaitGroup
		for i := 0; i < 12; i++ {
			wg.Go(func() {
				if _, err := h.Hash(context.Background(), "a fine password"); err != nil {
					t.Errorf("Hash: %v", err)
				}
			})
		}
		wg.Wait()
		if got := c.peak.Load(); int(got) != tt.want {
			t.Errorf("New(%d): %d hashes ran at once; want at most and at least once exactly %d", tt.max, got, tt.want)
		}
		if got := c.calls.Load(); got != 12 {
			t.Errorf("New(%d): %d hashes ran; want 12", tt.max, got)
		}
	}
}

func TestHashGivesUpWhenContextEnds(t *testing.T) {
	t.Parallel()
	h := New(1)
	c := &counting{hold: 300 * time.Millisecond}
	c.install(h)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = h.Hash(context.Background(), "first in line")
	}()
	for c.running.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "second in line"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Hash while the only slot is busy = %v; want context.DeadlineExceeded", err)
	}
	if ok, err := h.Verify(ctx, h.dummy, "second in line"); ok || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Verify while the only slot is busy = %v, %v; want false, context.DeadlineExceeded", ok, err)
	}
	<-done
}

func TestDummyVerifyDoesTheSameWork(t *testing.T) {
	t.Parallel()
	h := New(1)
	c := &counting{}
	c.install(h)
	h.DummyVerify(context.Background())
	if n := c.calls.Load(); n != 1 {
		t.Fatalf("DummyVerify derived %d keys; want 1", n)
	}
	if c.last != DefaultParams || c.saltLen != int(DefaultParams.SaltLen) {
		t.Fatalf("DummyVerify used %+v with a %d-byte salt; want %+v, as a real verify does", c.last, c.saltLen, DefaultParams)
	}
}
