package org_test

import (
	"context"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
)

type fixture struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	svc   *org.Service
	clock *storetest.Clock
	org   store.Org
	owner org.Actor // an owner acting through a session
	admin org.Actor // the CLI with every permission
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	c := storetest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	svc := org.New(db, org.Options{BaseURL: "https://lobby.example", Now: c.Now})
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "test", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, db: db, svc: svc, clock: c, org: o, admin: org.SystemActor("cli", "test", o.ID)}
	m, err := svc.AddMember(ctx, f.admin, org.NewMember{Email: "alice@acme.test", Name: "Alice", Role: org.RoleOwner})
	if err != nil {
		t.Fatal(err)
	}
	role, err := store.GetRoleByKey(ctx, db.R, o.ID, org.RoleOwner)
	if err != nil {
		t.Fatal(err)
	}
	f.owner = org.Actor{Kind: "user", ID: m.UserID, UserID: m.UserID, Name: "Alice", Email: "alice@acme.test", OrgID: o.ID, Role: role}
	return f
}

// invite invites one address and fails the test unless exactly one invitation was created.
func (f *fixture) invite(email string, mod ...func(*org.InviteRequest)) org.Invited {
	f.t.Helper()
	req := org.InviteRequest{Emails: []string{email}, Notify: true}
	for _, m := range mod {
		m(&req)
	}
	res, err := f.svc.Invite(f.ctx, f.owner, req)
	if err != nil {
		f.t.Fatalf("invite %s: %v", email, err)
	}
	if len(res.Created) != 1 || len(res.Errors) != 0 {
		f.t.Fatalf("invite %s: created %d, errors %+v", email, len(res.Created), res.Errors)
	}
	return res.Created[0]
}

// tokenOf cuts the token out of an accept URL.
func tokenOf(t *testing.T, url string) string {
	t.Helper()
	const prefix = "https://lobby.example/invite/"
	if len(url) <= len(prefix) || url[:len(prefix)] != prefix {
		t.Fatalf("accept url %q is not built from the base URL", url)
	}
	return url[len(prefix):]
}

func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.R.QueryRowContext(f.ctx, query, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func codeOf(err error) string {
	if e, ok := org.AsError(err); ok {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return "untyped: " + err.Error()
}
