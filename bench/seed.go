package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// Seeding a large organization row by row through org would take minutes; these helpers write
// the rows straight into the tables with multi-row INSERTs inside db.Tx. Ids are made of a
// sequence number behind a zero timestamp, so they sort before every UUIDv7 Lobby makes and
// the seeded rows look older than anything the benchmark creates afterwards.

// seedTxRows is how many rows one seeding transaction inserts.
const seedTxRows = 20_000

// seedID is the id of the k-th seeded row of a kind (a hex digit telling kinds apart).
func seedID(kind byte, k int) string {
	return fmt.Sprintf("00000000-0000-7000-%c000-%012d", kind, k)
}

// insertRows inserts n rows into table, row(i) giving the values of row i in the order of cols.
// Each INSERT carries up to a few hundred rows (under SQLite's limit of bound values), each
// transaction up to seedTxRows.
func insertRows(ctx context.Context, db *store.DB, table string, cols []string, n int, row func(i int) []any) error {
	per := max(1, min(500, 30_000/len(cols)))
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	for from := 0; from < n; from += seedTxRows {
		to := min(from+seedTxRows, n)
		err := db.Tx(ctx, func(q store.Q) error {
			for at := from; at < to; at += per {
				end := min(at+per, to)
				args := make([]any, 0, (end-at)*len(cols))
				for i := at; i < end; i++ {
					v := row(i)
					if len(v) != len(cols) {
						return fmt.Errorf("row %d of %s has %d values for %d columns", i, table, len(v), len(cols))
					}
					args = append(args, v...)
				}
				values := strings.TrimSuffix(strings.Repeat(one+", ", end-at), ", ")
				if _, err := q.ExecContext(ctx, head+values, args...); err != nil {
					return fmt.Errorf("inserting rows %d to %d of %s: %w", at, end-1, table, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// firstNames give seeded people names; one person in len(firstNames) has each, so searching
// one of them finds a common term.
var firstNames = []string{"Maria", "James", "Wei", "Fatima", "Olga", "Lucas", "Aisha", "Hiroshi", "Elena", "Mohammed",
	"Sofia", "Noah", "Priya", "Mateo", "Anna", "Kofi", "Ines", "Liam", "Yara", "Tomasz"}

// lastNames complete them.
var lastNames = []string{"Garcia", "Smith", "Chen", "Khan", "Ivanova", "Silva", "Okafor", "Tanaka", "Rossi", "Haddad",
	"Novak", "Jensen", "Patel", "Lopez", "Kowalski", "Mensah", "Dubois", "Murphy", "Nasser", "Berg", "Yilmaz", "Costa"}

// personName is the name of seeded person n.
func personName(n int) string {
	return firstNames[n%len(firstNames)] + " " + lastNames[(n/len(firstNames))%len(lastNames)]
}

// memberEmail is the address of seeded member n: unique through "m%06d", with the first name
// in front as people's addresses often have it.
func memberEmail(n int) string {
	return fmt.Sprintf("%s.m%06d@corp%d.example", strings.ToLower(firstNames[n%len(firstNames)]), n, n%7)
}

// seedUsersAndMembers inserts n people and their memberships of orgID. role(i), status(i),
// source(i) choose each membership's role id, status and source; extra(i), when set, gives its
// external id and SCIM attributes JSON.
func seedUsersAndMembers(ctx context.Context, db *store.DB, orgID string, n int, now int64, role, status, source func(i int) string,
	extra func(i int) (string, string)) error {
	err := insertRows(ctx, db, "users", []string{"id", "email", "email_norm", "name", "email_verified_at", "created_at"}, n,
		func(i int) []any {
			e := memberEmail(i)
			return []any{seedID('9', i), e, e, personName(i), now, now - int64(n-i)*1000}
		})
	if err != nil {
		return err
	}
	return insertRows(ctx, db, "memberships", []string{"id", "org_id", "user_id", "role_id", "status", "source", "external_id",
		"attributes", "joined_at", "updated_at"}, n, func(i int) []any {
		ext, attrs := "", ""
		if extra != nil {
			ext, attrs = extra(i)
		}
		at := now - int64(n-i)*1000
		// Members take every third id, so members and invitations interleave in the People list.
		return []any{seedID('8', 3*i), orgID, seedID('9', i), role(i), status(i), source(i), ext, attrs, at, at}
	})
}
