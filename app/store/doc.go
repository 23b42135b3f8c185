// Package store owns Lobby's libSQL database: opening it with the right connection settings,
// applying the embedded migrations, and one file of plain SQL per entity.
//
// It knows nothing of HTTP, mail or business rules: the rules (seats, roles, email parsing,
// token use) live in app/org, which calls the functions here inside the transactions it opens.
// Every time is an int64 of unix milliseconds UTC and every id a UUIDv7 string.
package store
