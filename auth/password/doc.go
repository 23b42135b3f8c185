// Package password owns password rules and password hashing for Lobby.
//
// Check enforces the only password rules Lobby has — at least 8 and at most 128
// characters, no composition rules — and runs before any hashing. Hasher hashes
// with argon2id (m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte key) into a PHC
// string, verifies in constant time using the parameters stored in the string, and
// caps how many hashes run at once so a burst of logins cannot exhaust memory.
// DummyVerify spends the same time as Verify for people who do not exist.
//
// This package must not touch the database, HTTP or logs; it never logs a password.
package password
