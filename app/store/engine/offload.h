#ifndef LOBBY_OFFLOAD_H
#define LOBBY_OFFLOAD_H

#include "engine.h"

// A job that blocks on the disk for milliseconds (a checkpoint, an fsync), run on a thread of
// its own so that the goroutine asking for it waits parked instead of holding one of Go's
// processors (see offload.go).
typedef struct {
	int kind;    // LOBBY_JOB_*
	sqlite3 *db; // LOBBY_JOB_CHECKPOINT: the connection, not used by anyone else meanwhile
	int fd;      // LOBBY_JOB_FSYNC: the file
	int done;    // the write end of a pipe: one byte is written there when the job is over
	int rc;      // the outcome: the engine's result code, or errno for an fsync
	int log;     // LOBBY_JOB_CHECKPOINT: the log's length in pages
	int copied;  // LOBBY_JOB_CHECKPOINT: how many of them are in the database file
	int over;    // set (atomically) once the job is over, before the byte is written
} lobby_job;

#define LOBBY_JOB_CHECKPOINT 1
#define LOBBY_JOB_FSYNC 2
#define LOBBY_JOB_SLEEP 3 // fd microseconds: for tests

int sqlite3_wal_checkpoint_v2(sqlite3 *, const char *, int, int *, int *);

int lobby_offload(lobby_job *j);
void lobby_job_run_here(lobby_job *j);
int lobby_job_over(lobby_job *j);

#endif
