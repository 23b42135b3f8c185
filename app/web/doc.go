// Package web serves Lobby's pages for people: sign-in, invitations, the public join page,
// sign-in with an OpenID provider, the dashboard, the profile, password reset, first-run setup,
// and the admins' console (console_*.go). Templates are parsed once at start from the embedded
// public/ folder; every form carries a CSRF token; pages reached by a token are never cached and
// send no referrer. Handlers parse, call app/org, and render or redirect: one handler, or one
// form's show-and-submit pair, per file. It never writes SQL and never decides a rule of org's.
package web
