#include <stdlib.h>
#include <string.h>
#include "walbuf.h"

// walbuf: a VFS that writes a transaction's write-ahead log in one system call.
//
// SQLite appends each page of a commit to the log as two writes, a 24-byte frame header and
// the page: a commit of 25 pages is 50 pwrite calls, and on this kind of virtual machine each
// call costs microseconds in the kernel, paid by the one writer while every other write waits.
// This VFS is SQLite's default one except for the log file ("-wal"), whose writes it gathers in
// a buffer while they follow each other, and hands to the kernel in one write (one per 124 KiB):
//   - at once after the page that follows a commit frame (a frame header whose "database size"
//     field is not zero): the commit is in the file before COMMIT goes on to publish it in the
//     shared index, exactly as with SQLite's own writes, and a failed write fails the COMMIT;
//   - before any other call on the file (read, sync, truncate, size, close, …), so the file
//     always reads as SQLite wrote it;
//   - before a write that does not follow the buffer (SQLite rewriting a frame in place), so
//     writes reach the file in the order SQLite made them;
//   - when the buffer holds walbuf_cap bytes (a large transaction's frames before its commit).
// Nothing else changes: the bytes in the file, their order, and when they are there.

enum { walbuf_cap = 1 << 20, write_max = 124 * 1024, open_wal = 0x00080000 };

static sqlite3_vfs *base_vfs; // the default VFS, which does the real work
static sqlite3_vfs walbuf_vfs;
static i64 count_writes, count_flushes; // for tests: log writes SQLite made, and flushes

typedef struct {
	sqlite3_file base;
	sqlite3_file *real; // the default VFS's file, in the memory right after this struct
	char *buf;          // gathered writes, for bytes [off, off+len) of the file
	int len, cap;
	i64 off;
	int commit_next; // the last write was a commit frame's header: its page ends the commit
} wfile;

#define REAL(f) (((wfile *)(f))->real)
#define WFILE_SIZE ((int)((sizeof(wfile) + 7) & ~(size_t)7))

// flush writes the buffer out; on failure the buffer is dropped and the write reported failed,
// as SQLite's own failed write would be.
static int flush(wfile *f) {
	const char *p = f->buf;
	i64 off = f->off;
	int left = f->len;
	f->len = 0;
	if (left == 0) return 0;
	__atomic_fetch_add(&count_flushes, 1, __ATOMIC_RELAXED);
	// Through the default VFS's own write, which knows the file's descriptor. It writes at most
	// 128 KiB - 1 bytes a call (it masks the length with 0x1ffff), so larger buffers go in
	// pieces of 124 KiB.
	while (left > 0) {
		int n = left > write_max ? write_max : left;
		int rc = f->real->pMethods->xWrite(f->real, p, n, off);
		if (rc != 0) return rc;
		p += n, off += n, left -= n;
	}
	return 0;
}

static int w_write(sqlite3_file *pf, const void *data, int n, i64 off) {
	wfile *f = (wfile *)pf;
	int ends_commit = f->commit_next; // this is the page of a commit frame
	f->commit_next = 0;
	__atomic_fetch_add(&count_writes, 1, __ATOMIC_RELAXED);
	if (f->len > 0 && (off != f->off + f->len || f->len + n > walbuf_cap)) {
		int rc = flush(f);
		if (rc != 0) return rc;
	}
	if (n > write_max) return f->real->pMethods->xWrite(f->real, data, n, off); // as SQLite would
	if (f->len + n > f->cap) {
		int cap = f->cap ? f->cap : 64 * 1024;
		while (cap < f->len + n) cap *= 2;
		char *b = realloc(f->buf, cap);
		if (!b) { // write it as SQLite would have
			int rc = flush(f);
			return rc ? rc : f->real->pMethods->xWrite(f->real, data, n, off);
		}
		f->buf = b, f->cap = cap;
	}
	if (f->len == 0) f->off = off;
	memcpy(f->buf + f->len, data, n);
	f->len += n;
	if (ends_commit) return flush(f);
	// A frame header holds the database's size in pages after the commit at bytes 4-7, and
	// only in the commit's last frame.
	const unsigned char *h = data;
	if (n == 24 && (h[4] | h[5] | h[6] | h[7])) f->commit_next = 1;
	return 0;
}

// p_fetch maps part of a file, where the default VFS's files can (memory maps are off in Lobby).
static int p_fetch(sqlite3_file *f, i64 off, int n, void **pp) {
	if (REAL(f)->pMethods->iVersion < 3) {
		*pp = 0;
		return 0;
	}
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

// Every other call on a log first writes out what is gathered.
#define FLUSHED(f) \
	do { \
		int rc_ = flush((wfile *)(f)); \
		if (rc_ != 0) return rc_; \
	} while (0)

static int w_close(sqlite3_file *pf) {
	wfile *f = (wfile *)pf;
	int rc = flush(f);
	free(f->buf);
	f->buf = 0, f->cap = 0;
	int rc2 = f->real->pMethods ? f->real->pMethods->xClose(f->real) : 0;
	return rc ? rc : rc2;
}
static int w_read(sqlite3_file *f, void *p, int n, i64 off) { FLUSHED(f); return REAL(f)->pMethods->xRead(REAL(f), p, n, off); }
static int w_truncate(sqlite3_file *f, i64 size) { FLUSHED(f); return REAL(f)->pMethods->xTruncate(REAL(f), size); }
static int w_sync(sqlite3_file *f, int flags) { FLUSHED(f); return REAL(f)->pMethods->xSync(REAL(f), flags); }
static int w_size(sqlite3_file *f, i64 *size) { FLUSHED(f); return REAL(f)->pMethods->xFileSize(REAL(f), size); }
static int w_lock(sqlite3_file *f, int l) { FLUSHED(f); return REAL(f)->pMethods->xLock(REAL(f), l); }
static int w_unlock(sqlite3_file *f, int l) { FLUSHED(f); return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int w_reserved(sqlite3_file *f, int *out) { FLUSHED(f); return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int w_control(sqlite3_file *f, int op, void *arg) { FLUSHED(f); return REAL(f)->pMethods->xFileControl(REAL(f), op, arg); }
static int w_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int w_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int w_shm_map(sqlite3_file *f, int i, int sz, int ext, void volatile **pp) { return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, pp); }
static int w_shm_lock(sqlite3_file *f, int off, int n, int flags) { return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags); }
static void w_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int w_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int w_fetch(sqlite3_file *f, i64 off, int n, void **pp) { FLUSHED(f); return p_fetch(f, off, n, pp); }
static int w_unfetch(sqlite3_file *f, i64 off, void *p) {
	return REAL(f)->pMethods->iVersion < 3 ? 0 : REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static sqlite3_io_methods wal_methods = {3, w_close, w_read, w_write, w_truncate, w_sync, w_size, w_lock,
	w_unlock, w_reserved, w_control, w_sector, w_device, w_shm_map, w_shm_lock, w_shm_barrier, w_shm_unmap,
	w_fetch, w_unfetch};

// Files other than logs keep the default VFS's own methods: their structure is the default
// one's, moved to after ours, so these only pass each call on.
static int p_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int p_read(sqlite3_file *f, void *p, int n, i64 off) { return REAL(f)->pMethods->xRead(REAL(f), p, n, off); }
static int p_write(sqlite3_file *f, const void *p, int n, i64 off) { return REAL(f)->pMethods->xWrite(REAL(f), p, n, off); }
static int p_truncate(sqlite3_file *f, i64 size) { return REAL(f)->pMethods->xTruncate(REAL(f), size); }
static int p_sync(sqlite3_file *f, int flags) { return REAL(f)->pMethods->xSync(REAL(f), flags); }
static int p_size(sqlite3_file *f, i64 *size) { return REAL(f)->pMethods->xFileSize(REAL(f), size); }
static int p_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int p_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int p_reserved(sqlite3_file *f, int *out) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int p_control(sqlite3_file *f, int op, void *arg) { return REAL(f)->pMethods->xFileControl(REAL(f), op, arg); }

static sqlite3_io_methods pass_methods = {3, p_close, p_read, p_write, p_truncate, p_sync, p_size, p_lock,
	p_unlock, p_reserved, p_control, w_sector, w_device, w_shm_map, w_shm_lock, w_shm_barrier, w_shm_unmap,
	p_fetch, w_unfetch};

static int w_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *pf, int flags, int *out) {
	(void)vfs;
	wfile *f = (wfile *)pf;
	memset(f, 0, sizeof *f);
	f->real = (sqlite3_file *)((char *)f + WFILE_SIZE);
	int rc = base_vfs->xOpen(base_vfs, name, f->real, flags, out);
	if (f->real->pMethods == 0) return rc; // nothing to close: SQLite must not call ours either
	f->base.pMethods = (flags & open_wal) ? &wal_methods : &pass_methods;
	return rc;
}

// lobby_walbuf_register registers the VFS once (not as the default); 0 on success.
int lobby_walbuf_register(void) {
	if (walbuf_vfs.zName) return 0;
	base_vfs = sqlite3_vfs_find(0);
	if (!base_vfs) return 1;
	// Only a default VFS whose structure this file knows, with its files' methods at version 3.
	if (base_vfs->iVersion > 3) return 1;
	memcpy(&walbuf_vfs, base_vfs, sizeof walbuf_vfs);
	walbuf_vfs.pNext = 0;
	walbuf_vfs.zName = LOBBY_VFS;
	walbuf_vfs.szOsFile = WFILE_SIZE + base_vfs->szOsFile;
	walbuf_vfs.xOpen = w_open;
	return sqlite3_vfs_register(&walbuf_vfs, 0);
}

// lobby_walbuf_counts reports how many writes the logs got and in how many writes they reached
// the kernel.
void lobby_walbuf_counts(i64 *writes, i64 *flushes) {
	*writes = __atomic_load_n(&count_writes, __ATOMIC_RELAXED);
	*flushes = __atomic_load_n(&count_flushes, __ATOMIC_RELAXED);
}
