// Package api is Lobby's JSON REST API under /api/v1. Each handler file parses one request
// into an explicit input struct, calls app/org and writes JSON; it never writes SQL and never
// re-implements a rule of org. Errors are {"error":{"code","message","field"?}}.
package api
