// Package config owns Lobby's settings: the Config struct and its defaults, loading them from a
// TOML file and LOBBY_* environment variables (with *_FILE for secrets), validating them with
// messages that name the key, and dumping the effective settings with secrets masked.
//
// It imports nothing of Lobby and does no I/O beyond reading the files it is pointed at; it
// must not open databases, sockets or loggers.
package config
