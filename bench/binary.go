package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// build compiles the lobby binary once per run and flavour: -trimpath, and -ldflags "-s -w"
// when stripped (what `make build` ships).
func (e *env) build(ctx context.Context, stripped bool) (string, error) {
	if p, ok := e.bins[stripped]; ok {
		return p, nil
	}
	if e.tmp == "" {
		dir, err := os.MkdirTemp("", "lobby-bench-bin-")
		if err != nil {
			return "", err
		}
		e.tmp = dir
	}
	out := filepath.Join(e.tmp, "lobby-full")
	args := []string{"build", "-trimpath"}
	if stripped {
		out = filepath.Join(e.tmp, "lobby")
		args = append(args, "-ldflags", "-s -w")
	}
	args = append(args, "-o", out, ".")
	progress("Building: go %v (the first build after a change compiles libSQL's cgo code and takes longer).", args)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = e.Root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, b)
	}
	e.bins[stripped] = out
	return out, nil
}

// benchBinary reports the size of the binary with and without symbol tables.
func benchBinary(ctx context.Context, e *env) result {
	r := result{Title: "Binary size",
		What: "the size of the single `lobby` binary, which embeds the templates, styles and migrations and links libSQL through cgo.",
		How: "`go build -trimpath -ldflags \"-s -w\"` (symbol table and DWARF stripped, as `make build` does) and " +
			"`go build -trimpath` (unstripped), from the checkout, for this machine's OS and architecture."}
	sizes := map[bool]int64{}
	for _, stripped := range []bool{true, false} {
		t0 := time.Now()
		p, err := e.build(ctx, stripped)
		if err != nil {
			r.Err = err
			return r
		}
		st, err := os.Stat(p)
		if err != nil {
			r.Err = err
			return r
		}
		sizes[stripped] = st.Size()
		progress("binary: stripped=%v is %s bytes (built in %s).", stripped, num(float64(st.Size())), elapsedSince(t0))
	}
	r.add("`-trimpath -ldflags \"-s -w\"`", mib(sizes[true]))
	r.add("`-trimpath` only", mib(sizes[false]))
	r.add("Stripped / unstripped", ratio(float64(sizes[true]), float64(sizes[false])))
	return r
}

// mib formats a byte count in MiB with the exact bytes.
func mib(n int64) string {
	return fmt.Sprintf("%.1f MiB (%s bytes)", float64(n)/(1<<20), num(float64(n)))
}
