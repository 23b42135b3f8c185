package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// shmDMS is the byte of the shared-memory file (path + "-shm") on which every connection to
// the database, in any process, holds a read lock for as long as it is open (SQLite's unix
// VFS: UNIX_SHM_DMS, 120 + 8).
const shmDMS = 128

// inUse reports whether some process has the database at path open: it asks the kernel
// whether a write lock on the shared-memory file's DMS byte would conflict with another
// process's lock, without taking one. A database without that file is not open anywhere.
func inUse(path string) (bool, error) {
	f, err := os.OpenFile(path+"-shm", os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("cannot tell whether the database is in use: %w", err)
	}
	defer f.Close()
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: shmDMS, Len: 1}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil {
		return false, fmt.Errorf("cannot tell whether the database is in use: %w", err)
	}
	return lk.Type != syscall.F_UNLCK, nil
}

// sameOwner gives f the owner and group of the file old describes, where this process may
// (as root); elsewhere f stays the process's own.
func sameOwner(f *os.File, old os.FileInfo) {
	if st, ok := old.Sys().(*syscall.Stat_t); ok {
		_ = f.Chown(int(st.Uid), int(st.Gid))
	}
}
