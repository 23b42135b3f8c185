// Package org is Lobby's domain: organizations, roles and permissions, invitations and their
// acceptance, memberships, seats, teams, API tokens and the audit log. Every rule lives here
// once, whoever calls — the console, the JSON API, SCIM, the CLI or a cron job — and every change
// runs in one store transaction together with its audit row and the mail it causes.
//
// It must not know about HTTP, templates or how mail is delivered: it writes outbox rows and
// returns typed errors (*Error) whose Code the transports turn into statuses.
package org
