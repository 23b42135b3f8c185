// Package web serves Lobby's pages for people: sign-in, invitations, the dashboard, the
// profile, password reset and first-run setup. Templates are parsed once at start from the
// embedded public/ folder; every form carries a CSRF token; pages reached by a token are never
// cached and send no referrer. Handlers parse, call app/org, and render or redirect.
package web
