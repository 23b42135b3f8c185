#include <stdlib.h>
#include <string.h>
#include "walbuf.h"

// walbuf: a VFS that writes a commit's write-ahead log frames in one system call.
//
// SQLite appends each page of a commit to the log as two writes, a 24-byte frame header and
// the page: a commit of 25 pages is 50 pwrite calls, and on this kind of virtual machine each
// call costs microseconds in the kernel, paid by the one writer while every other write waits.
// This VFS is SQLite's "unix" one except for the log file ("-wal"), whose writes it gathers in
// a buffer while they follow each other, and hands to the kernel in one write (one per 124 KiB).
// The buffer is written out:
//   - at once after the page that follows a commit frame (a frame header whose "database size"
//     field is not zero): the commit is in the file before COMMIT goes on to publish it in the
//     shared index, and a failed write fails the COMMIT;
//   - before any other call on the log (read, sync, truncate, size, close, …), so the file
//     always reads as SQLite wrote it;
//   - before a write that does not follow the buffer (a frame rewritten in place), so writes
//     reach the file in the order SQLite made them;
//   - when it would outgrow walbuf_cap (a large transaction's frames before its commit).
// A frame header written where SQLite has just read that frame (new checksums after pages of
// a spilled transaction changed again, at COMMIT) is not gathered: it goes to the kernel at
// once, and a failure fails the COMMIT.
// Anything else still gathered when the database file's shared-memory barrier, unlocks or file
// unlocks come (SQLite publishes a commit after the barrier and releases the write lock with
// an unlock) is written out then: normally nothing, or the frames of a rolled-back
// transaction, which must not land later over frames another connection wrote at the same
// place. SQLite cannot hear of a failure there: before a barrier it is returned once, by the
// log's next call; at an unlock (frames SQLite no longer needs) it is dropped.
// Nothing else changes: the bytes in the file, their order, and that they are there before
// anyone can read them.
//
// It sits on "unix", not on the default VFS of the library go-libsql links (SQLite3 Multiple
// Ciphers' wrapper, which encrypts log writes only when each is one page): Lobby sets no
// encryption key, so the files are the same either way.

enum {
	walbuf_cap = 1 << 20,
	write_max = 124 * 1024,
	open_wal = 0x00080000, // SQLITE_OPEN_WAL
	shm_unlock = 1,        // SQLITE_SHM_UNLOCK
};

static sqlite3_vfs *base_vfs; // "unix", which does the real work
static sqlite3_vfs walbuf_vfs;
static i64 count_writes, count_flushes; // for tests: log writes SQLite made, and flushes

typedef struct wfile wfile;
struct wfile {
	sqlite3_file base;
	sqlite3_file *real; // the base VFS's file, in the memory right after this struct
	wfile *wal;         // a database file: its connection's log, while open
	wfile *db;          // a log: its connection's database file
	char *buf;          // a log: gathered writes, for bytes [off, off+len) of the file
	int len, cap;
	i64 off;
	int commit_next; // the last write was a commit frame's header: its page ends the commit
	int read_last;   // the last call was a read, at read_off
	i64 read_off;
	int err; // a write-out SQLite could not hear of failed: the log's next call returns it
};

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
	// Through the base VFS's own write, which knows the file's descriptor. It writes at most
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

// flushed writes the buffer out before another call on the log; 0 or the error to return.
static int flushed(wfile *f) {
	int rc = f->err;
	f->err = 0;
	f->read_last = 0;
	return rc ? rc : flush(f);
}

// flush_unreported writes out the log of database file d where SQLite cannot hear of a
// failure. Before a barrier (a commit about to be published) a failure is kept for the log's
// next call; at an unlock only a rolled-back transaction's frames can be left, which SQLite
// needs no more, and a failure to write them must not fail the next transaction.
static void flush_unreported(wfile *d, int keep_err) {
	wfile *f = d->wal;
	if (f == 0 || f->len == 0) return;
	f->commit_next = 0;
	int rc = flush(f);
	if (rc && keep_err && !f->err) f->err = rc;
}

// reserve makes room for n more bytes in the buffer; 0 if there is no memory for them.
static int reserve(wfile *f, int n) {
	if (f->len + n <= f->cap) return 1;
	int cap = f->cap ? f->cap : 64 * 1024;
	while (cap < f->len + n) cap *= 2;
	char *b = realloc(f->buf, cap);
	if (!b) return 0;
	f->buf = b, f->cap = cap;
	return 1;
}

static int w_write(sqlite3_file *pf, const void *data, int n, i64 off) {
	wfile *f = (wfile *)pf;
	const unsigned char *h = data;
	int ends_commit = f->commit_next; // this is the page of a commit frame
	// A frame header holds the database's size in pages after the commit at bytes 4-7, and
	// only in the commit's last frame.
	int commit_header = n == 24 && (h[4] | h[5] | h[6] | h[7]);
	int rewrite = n == 24 && f->read_last && off == f->read_off; // new checksums of a frame
	f->commit_next = 0;
	f->read_last = 0;
	if (f->err) {
		int rc = f->err;
		f->err = 0;
		return rc;
	}
	__atomic_fetch_add(&count_writes, 1, __ATOMIC_RELAXED);
	if (f->len > 0 && (off != f->off + f->len || f->len + n > walbuf_cap)) {
		int rc = flush(f);
		if (rc != 0) return rc;
	}
	if (rewrite || n > write_max || !reserve(f, n)) { // written at once, as SQLite would
		int rc = flush(f);
		if (rc == 0) rc = f->real->pMethods->xWrite(f->real, data, n, off);
		if (rc == 0 && !rewrite) f->commit_next = commit_header;
		return rc;
	}
	if (f->len == 0) f->off = off;
	memcpy(f->buf + f->len, data, n);
	f->len += n;
	if (ends_commit) return flush(f);
	f->commit_next = commit_header;
	return 0;
}

static int w_close(sqlite3_file *pf) {
	wfile *f = (wfile *)pf;
	int rc = flushed(f);
	if (f->db) f->db->wal = 0;
	free(f->buf);
	f->buf = 0, f->cap = 0;
	int rc2 = f->real->pMethods->xClose(f->real);
	return rc ? rc : rc2;
}

// Every other call on a log first writes out what is gathered.
#define FLUSHED(f) \
	do { \
		int rc_ = flushed((wfile *)(f)); \
		if (rc_ != 0) return rc_; \
	} while (0)

// p_fetch maps part of a file, where the base VFS's files can (memory maps are off in Lobby).
static int p_fetch(sqlite3_file *f, i64 off, int n, void **pp) {
	if (REAL(f)->pMethods->iVersion < 3) {
		*pp = 0;
		return 0;
	}
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int w_read(sqlite3_file *f, void *p, int n, i64 off) {
	FLUSHED(f);
	((wfile *)f)->read_last = 1, ((wfile *)f)->read_off = off;
	return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}
static int w_truncate(sqlite3_file *f, i64 size) { FLUSHED(f); return REAL(f)->pMethods->xTruncate(REAL(f), size); }
static int w_sync(sqlite3_file *f, int flags) { FLUSHED(f); return REAL(f)->pMethods->xSync(REAL(f), flags); }
static int w_size(sqlite3_file *f, i64 *size) { FLUSHED(f); return REAL(f)->pMethods->xFileSize(REAL(f), size); }
static int w_lock(sqlite3_file *f, int l) { FLUSHED(f); return REAL(f)->pMethods->xLock(REAL(f), l); }
static int w_unlock(sqlite3_file *f, int l) { FLUSHED(f); return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int w_reserved(sqlite3_file *f, int *out) { FLUSHED(f); return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int w_control(sqlite3_file *f, int op, void *arg) { FLUSHED(f); return REAL(f)->pMethods->xFileControl(REAL(f), op, arg); }
static int w_fetch(sqlite3_file *f, i64 off, int n, void **pp) { FLUSHED(f); return p_fetch(f, off, n, pp); }

// These pass each call on; on a database file the shared-memory ones first write out its log.
static int p_close(sqlite3_file *f) {
	wfile *d = (wfile *)f;
	if (d->wal) d->wal->db = 0; // SQLite closes the log first; never leave it pointing here
	return REAL(f)->pMethods->xClose(REAL(f));
}
static int p_read(sqlite3_file *f, void *p, int n, i64 off) { return REAL(f)->pMethods->xRead(REAL(f), p, n, off); }
static int p_write(sqlite3_file *f, const void *p, int n, i64 off) { return REAL(f)->pMethods->xWrite(REAL(f), p, n, off); }
static int p_truncate(sqlite3_file *f, i64 size) { return REAL(f)->pMethods->xTruncate(REAL(f), size); }
static int p_sync(sqlite3_file *f, int flags) { return REAL(f)->pMethods->xSync(REAL(f), flags); }
static int p_size(sqlite3_file *f, i64 *size) { return REAL(f)->pMethods->xFileSize(REAL(f), size); }
static int p_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int p_unlock(sqlite3_file *f, int l) {
	flush_unreported((wfile *)f, 0); // in exclusive locking mode there is no shared memory
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int p_reserved(sqlite3_file *f, int *out) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int p_control(sqlite3_file *f, int op, void *arg) { return REAL(f)->pMethods->xFileControl(REAL(f), op, arg); }
static int p_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int p_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int p_shm_map(sqlite3_file *f, int i, int sz, int ext, void volatile **pp) { return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, pp); }
static int p_shm_lock(sqlite3_file *f, int off, int n, int flags) {
	if (flags & shm_unlock) flush_unreported((wfile *)f, 0);
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
// No path of SQLite 3.45 leaves anything gathered at a barrier (commits are written at their
// last page, rewritten checksums at once, and both come before it): this guards a commit
// published some other way.
static void p_shm_barrier(sqlite3_file *f) {
	flush_unreported((wfile *)f, 1);
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int p_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int p_unfetch(sqlite3_file *f, i64 off, void *p) {
	return REAL(f)->pMethods->iVersion < 3 ? 0 : REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static sqlite3_io_methods wal_methods = {3, w_close, w_read, w_write, w_truncate, w_sync, w_size, w_lock,
	w_unlock, w_reserved, w_control, p_sector, p_device, p_shm_map, p_shm_lock, p_shm_barrier, p_shm_unmap,
	w_fetch, p_unfetch};

static sqlite3_io_methods pass_methods = {3, p_close, p_read, p_write, p_truncate, p_sync, p_size, p_lock,
	p_unlock, p_reserved, p_control, p_sector, p_device, p_shm_map, p_shm_lock, p_shm_barrier, p_shm_unmap,
	p_fetch, p_unfetch};

static int w_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *pf, int flags, int *out) {
	(void)vfs;
	wfile *f = (wfile *)pf;
	memset(f, 0, sizeof *f);
	f->real = (sqlite3_file *)((char *)f + WFILE_SIZE);
	int rc = base_vfs->xOpen(base_vfs, name, f->real, flags, out);
	if (f->real->pMethods == 0) return rc; // nothing to close: SQLite must not call ours either
	f->base.pMethods = &pass_methods;
	if (rc == 0 && (flags & open_wal)) {
		// The log's database file is the connection's, opened through this VFS too. SQLite
		// finds it from where the log's name sits in the pager's memory: libSQL 3.45.1 keeps
		// it there; a later libSQL that allocated the name elsewhere would break this (the
		// engine's tests would crash or fail: check them when go-libsql is updated).
		sqlite3_file *db = sqlite3_database_file_object(name);
		if (db && db->pMethods == &pass_methods) {
			f->base.pMethods = &wal_methods;
			f->db = (wfile *)db;
			f->db->wal = f;
		}
	}
	return rc;
}

// lobby_walbuf_register registers the VFS once (not as the default); 0 on success.
int lobby_walbuf_register(void) {
	if (walbuf_vfs.zName) return 0;
	base_vfs = sqlite3_vfs_find("unix");
	// Only a VFS whose structure this file knows.
	if (!base_vfs || base_vfs->iVersion > 3) return 1;
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
