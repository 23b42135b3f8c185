#include <stdlib.h>
#include <string.h>
#include "engine.h"

// lobby_init starts the engine as go-libsql's first open does (libSQL's Rust layer): serialized
// threading, then sqlite3_initialize. If go-libsql started it already, sqlite3_config refuses
// with SQLITE_MISUSE (21), and that is fine: go-libsql chose the same mode.
int lobby_init(void) {
	int rc = sqlite3_config(3); // SQLITE_CONFIG_SERIALIZED
	if (rc != 0 && rc != 21) return rc;
	return sqlite3_initialize();
}

// lobby_prepare compiles the first statement of the n bytes at sql and reports in *used how
// many of them it read. SQLite gives that as a pointer, which may point just past the end of
// sql: in Go's heap that is the next object, and Go must never hold such a pointer (its
// collector would take it for a reference to that object, free or not, and stop the process).
int lobby_prepare(sqlite3 *db, const char *sql, int n, unsigned int flags, sqlite3_stmt **s, int *used) {
	const char *tail = 0;
	int rc = sqlite3_prepare_v3(db, sql, n, flags, s, &tail);
	*used = tail ? (int)(tail - sql) : n;
	return rc;
}

// lobby_bind_all binds n arguments after clearing the previous call's, so that positions this call
// leaves out are NULL as on a fresh statement. Text and blobs are first copied, in one piece, from
// the caller's buffer into the statement's own *keep (grown as needed, *cap bytes), and bound
// from there without SQLite copying each value (STATIC). *keep lives as long as the statement and
// is rewritten only by the next bind, which always happens before the next step.
int lobby_bind_all(sqlite3_stmt *s, int n, const arg *a, const char *buf, int len, char **keep, int *cap) {
	sqlite3_clear_bindings(s);
	if (len > *cap) {
		char *grown = realloc(*keep, len);
		if (!grown) return 7; // SQLITE_NOMEM
		*keep = grown;
		*cap = len;
	}
	if (len) memcpy(*keep, buf, len);
	const char *k = *keep;
	for (int j = 0; j < n; j++) {
		int rc;
		switch (a[j].type) {
		case 1: rc = sqlite3_bind_int64(s, a[j].pos, a[j].i); break;
		case 2: rc = sqlite3_bind_double(s, a[j].pos, a[j].f); break;
		case 3: rc = sqlite3_bind_text(s, a[j].pos, a[j].len ? k + a[j].i : "", a[j].len, STATIC); break;
		case 4: rc = a[j].len ? sqlite3_bind_blob(s, a[j].pos, k + a[j].i, a[j].len, STATIC)
		                      : sqlite3_bind_zeroblob(s, a[j].pos, 0); break;
		default: rc = sqlite3_bind_null(s, a[j].pos);
		}
		if (rc) return rc;
	}
	return 0;
}

// lobby_run steps a statement to its end, skipping any rows, and reports its changes. On success the
// statement is reset; on failure it is left for the caller to read the message and reset.
int lobby_run(sqlite3 *db, sqlite3_stmt *s, i64 *changes, i64 *last) {
	int rc;
	while ((rc = sqlite3_step(s)) == 100) {}
	if (rc != 101) return rc;
	*changes = sqlite3_changes64(db);
	*last = sqlite3_last_insert_rowid(db);
	sqlite3_reset(s);
	return 0;
}

// lobby_read_row reads the first n columns of the row s is on. Columns the row does not have
// (after a schema change left the statement with fewer) read as NULL without asking the engine,
// which would record "column index out of range" as the connection's error.
void lobby_read_row(sqlite3_stmt *s, int n, cell *c) {
	int have = sqlite3_data_count(s);
	for (int k = 0; k < n; k++) {
		int t = k < have ? sqlite3_column_type(s, k) : 5; // SQLITE_NULL
		c[k].type = t;
		c[k].p = 0;
		c[k].len = 0;
		switch (t) {
		case 1: c[k].i = sqlite3_column_int64(s, k); break;
		case 2: c[k].f = sqlite3_column_double(s, k); break;
		case 3: c[k].p = sqlite3_column_text(s, k); c[k].len = sqlite3_column_bytes(s, k); break;
		case 4: c[k].p = sqlite3_column_blob(s, k); c[k].len = sqlite3_column_bytes(s, k); break;
		}
	}
}

// lobby_step_row steps once and, on a row, reads its first n columns. At the end of the result
// it resets the statement, ending the read. version counts how often the engine prepared the
// statement again (after a schema change), when its columns may have changed.
int lobby_step_row(sqlite3_stmt *s, int n, cell *c, int *version) {
	int rc = sqlite3_step(s);
	*version = sqlite3_stmt_status(s, 5, 0); // SQLITE_STMTSTATUS_REPREPARE
	if (rc == 101) {
		sqlite3_reset(s);
		return rc;
	}
	if (rc == 100) lobby_read_row(s, n, c);
	return rc;
}
