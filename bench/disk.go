package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// diskSpeed times writing size bytes in 1 MiB writes to a new file in dir and syncing it: the
// most bytes per second this disk takes, against which the expire job's writes are measured.
func diskSpeed(dir string, size int) (float64, error) {
	f, err := os.CreateTemp(dir, "lobby-bench-disk-")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	block := bytes.Repeat([]byte{0xA5}, 1<<20)
	t0 := time.Now()
	for n := 0; n < size; n += len(block) {
		if _, err := f.Write(block); err != nil {
			return 0, err
		}
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	return float64(size) / time.Since(t0).Seconds(), nil
}

// storageWrites returns how many bytes this process has caused to be written to storage so
// far (write_bytes in /proc/self/io: pages it dirtied in files on disks, not in memory).
func storageWrites() (int64, error) {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
			return strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc/self/io has no write_bytes")
}
