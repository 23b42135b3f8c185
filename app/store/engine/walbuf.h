#ifndef LOBBY_WALBUF_H
#define LOBBY_WALBUF_H

// The parts of SQLite's OS interface (sqlite3.h, "Virtual File System Objects") that walbuf.c
// needs, declared as libSQL 3.45.1 compiles them: they are part of SQLite's stable ABI.
#include "engine.h"

typedef struct sqlite3_file sqlite3_file;
typedef struct sqlite3_io_methods sqlite3_io_methods;
typedef struct sqlite3_vfs sqlite3_vfs;

struct sqlite3_file {
	const sqlite3_io_methods *pMethods;
};

struct sqlite3_io_methods {
	int iVersion;
	int (*xClose)(sqlite3_file *);
	int (*xRead)(sqlite3_file *, void *, int, i64);
	int (*xWrite)(sqlite3_file *, const void *, int, i64);
	int (*xTruncate)(sqlite3_file *, i64);
	int (*xSync)(sqlite3_file *, int);
	int (*xFileSize)(sqlite3_file *, i64 *);
	int (*xLock)(sqlite3_file *, int);
	int (*xUnlock)(sqlite3_file *, int);
	int (*xCheckReservedLock)(sqlite3_file *, int *);
	int (*xFileControl)(sqlite3_file *, int, void *);
	int (*xSectorSize)(sqlite3_file *);
	int (*xDeviceCharacteristics)(sqlite3_file *);
	int (*xShmMap)(sqlite3_file *, int, int, int, void volatile **);
	int (*xShmLock)(sqlite3_file *, int, int, int);
	void (*xShmBarrier)(sqlite3_file *);
	int (*xShmUnmap)(sqlite3_file *, int);
	int (*xFetch)(sqlite3_file *, i64, int, void **);
	int (*xUnfetch)(sqlite3_file *, i64, void *);
};

struct sqlite3_vfs {
	int iVersion;
	int szOsFile;
	int mxPathname;
	sqlite3_vfs *pNext;
	const char *zName;
	void *pAppData;
	int (*xOpen)(sqlite3_vfs *, const char *, sqlite3_file *, int, int *);
	void *rest[15]; // xDelete … xNextSystemCall, used as the base VFS's own
};

sqlite3_vfs *sqlite3_vfs_find(const char *);
int sqlite3_vfs_register(sqlite3_vfs *, int);
sqlite3_file *sqlite3_database_file_object(const char *);

// The name walbuf registers its VFS under.
#define LOBBY_VFS "lobby-walbuf"

int lobby_walbuf_register(void);
void lobby_walbuf_counts(i64 *writes, i64 *flushes);

#endif
