#ifndef LOBBY_ENGINE_H
#define LOBBY_ENGINE_H

// The SQLite C API of libSQL's engine, as it is compiled into the library go-libsql links
// (libSQL 3.45.1, a fork of SQLite). Only what this package calls is declared.
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef long long i64;
typedef void (*destructor)(void *);
#define STATIC ((destructor)0)

int sqlite3_open_v2(const char *, sqlite3 **, int, const char *);
int sqlite3_close_v2(sqlite3 *);
int sqlite3_extended_result_codes(sqlite3 *, int);
int sqlite3_extended_errcode(sqlite3 *);
const char *sqlite3_errmsg(sqlite3 *);
const char *sqlite3_errstr(int);
int sqlite3_prepare_v3(sqlite3 *, const char *, int, unsigned int, sqlite3_stmt **, const char **);
int sqlite3_step(sqlite3_stmt *);
int sqlite3_reset(sqlite3_stmt *);
int sqlite3_finalize(sqlite3_stmt *);
int sqlite3_clear_bindings(sqlite3_stmt *);
int sqlite3_bind_int64(sqlite3_stmt *, int, i64);
int sqlite3_bind_double(sqlite3_stmt *, int, double);
int sqlite3_bind_null(sqlite3_stmt *, int);
int sqlite3_bind_text(sqlite3_stmt *, int, const char *, int, destructor);
int sqlite3_bind_blob(sqlite3_stmt *, int, const void *, int, destructor);
int sqlite3_bind_zeroblob(sqlite3_stmt *, int, int);
int sqlite3_column_count(sqlite3_stmt *);
int sqlite3_data_count(sqlite3_stmt *);
const char *sqlite3_column_name(sqlite3_stmt *, int);
int sqlite3_column_type(sqlite3_stmt *, int);
i64 sqlite3_column_int64(sqlite3_stmt *, int);
double sqlite3_column_double(sqlite3_stmt *, int);
const unsigned char *sqlite3_column_text(sqlite3_stmt *, int);
const void *sqlite3_column_blob(sqlite3_stmt *, int);
int sqlite3_column_bytes(sqlite3_stmt *, int);
i64 sqlite3_changes64(sqlite3 *);
i64 sqlite3_last_insert_rowid(sqlite3 *);
int sqlite3_get_autocommit(sqlite3 *);
int sqlite3_stmt_status(sqlite3_stmt *, int, int);
int sqlite3_config(int, ...);
int sqlite3_initialize(void);

// arg is one argument to bind. Text and blobs are bytes [i, i+len) of the call's buffer,
// so that Go passes all arguments in one call and no Go pointer is stored in C memory.
typedef struct { int pos; int type; int len; i64 i; double f; } arg;

// cell is one column of a row as lobby_step_row found it; text and blobs stay the engine's until
// the next step or reset.
typedef struct { int type; int len; i64 i; double f; const void *p; } cell;

int lobby_init(void);
int lobby_prepare(sqlite3 *db, const char *sql, int n, unsigned int flags, sqlite3_stmt **s, int *used);
int lobby_bind_all(sqlite3_stmt *s, int n, const arg *a, const char *buf, int len, char **keep, int *cap);
int lobby_run(sqlite3 *db, sqlite3_stmt *s, i64 *changes, i64 *last);
int lobby_step_row(sqlite3_stmt *s, int n, cell *c, int *version);
void lobby_read_row(sqlite3_stmt *s, int n, cell *c);

#endif
