package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
)

// TestSCIMFilterSQL runs conditions the HTTP tests do not reach against a real database.
func TestSCIMFilterSQL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	err := db.Tx(ctx, func(q store.Q) error {
		if err := store.CreateOrg(ctx, q, store.Org{ID: "o1", Slug: "o-one", Name: "O", InviteTTLMs: 1, CreatedAt: 1}); err != nil {
			return err
		}
		if err := store.CreateRole(ctx, q, store.Role{ID: "r1", OrgID: "o1", Key: "member", Name: "Member", CreatedAt: 1}); err != nil {
			return err
		}
		for i, email := range []string{"zoë@exämple.test", "ann@example.test"} {
			id := string(rune('a' + i))
			if err := store.CreateUser(ctx, q, store.User{ID: "u" + id, Email: email, EmailNorm: email, CreatedAt: 1}); err != nil {
				return err
			}
			attrs := ""
			if i == 0 {
				attrs = `{"displayName":"Zoë","emails":[{"value":"z@home.test","type":"home","primary":true}]}`
			}
			if err := store.CreateMembership(ctx, q, store.Membership{ID: "m" + id, OrgID: "o1", UserID: "u" + id, RoleID: "r1",
				Status: "active", Source: "scim", Attributes: attrs, JoinedAt: 1, UpdatedAt: 1}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cmp := func(op, attr string, v any) store.SCIMCond { return store.SCIMCond{Op: op, Attr: attr, Value: v} }
	for _, c := range []struct {
		name string
		cond store.SCIMCond
		want int
	}{
		{"sw counts characters, not bytes", cmp("sw", "username", "zoë@"), 1},
		{"ew on a non-ASCII domain", cmp("ew", "username", "exämple.test"), 1},
		{"co with an empty value matches all", cmp("co", "username", ""), 2},
		{"displayName folds ASCII letters", cmp("eq", "displayname", "zoë"), 1},
		{"displayName does not fold other letters", cmp("eq", "displayname", "ZOË"), 0}, // as SQLite's lower()
		{"displayName from the attributes", cmp("eq", "displayname", "Zoë"), 1},
		// A member without emails of their own has their address as the primary work email.
		{"every member has an email", store.SCIMCond{Op: "any", Attr: "emails", Kids: []store.SCIMCond{cmp("pr", "value", nil)}}, 2},
		{"primary email", store.SCIMCond{Op: "any", Attr: "emails", Kids: []store.SCIMCond{cmp("eq", "primary", true)}}, 2},
		{"not primary", store.SCIMCond{Op: "not", Kids: []store.SCIMCond{{Op: "any", Attr: "emails",
			Kids: []store.SCIMCond{cmp("eq", "primary", true)}}}}, 0},
		{"the address as the work email", store.SCIMCond{Op: "any", Attr: "emails", Kids: []store.SCIMCond{cmp("eq", "type", "work"),
			cmp("eq", "value", "ANN@example.test")}}, 1},
		{"stored emails replace the address", store.SCIMCond{Op: "any", Attr: "emails", Kids: []store.SCIMCond{
			cmp("eq", "value", "zoë@exämple.test")}}, 0},
	} {
		_, total, err := store.ListSCIMMembers(ctx, db.R, "o1", &c.cond, store.SCIMSort{}, 0, 10)
		if err != nil || total != c.want {
			t.Errorf("%s: %d, %v; want %d", c.name, total, err, c.want)
		}
	}
	deep := cmp("pr", "id", nil)
	for range 70 {
		deep = store.SCIMCond{Op: "not", Kids: []store.SCIMCond{deep}}
	}
	for name, c := range map[string]store.SCIMCond{
		"unknown attribute":         cmp("eq", "password", "x"),
		"bool compared to a string": cmp("eq", "active", "yes"),
		"gt on a boolean":           cmp("gt", "active", true),
		"nested any":                {Op: "any", Attr: "emails", Kids: []store.SCIMCond{{Op: "any", Attr: "emails", Kids: []store.SCIMCond{cmp("pr", "value", nil)}}}},
		"too deep":                  deep,
		"and with one side":         {Op: "and", Kids: []store.SCIMCond{cmp("pr", "id", nil)}},
		"date that is a text":       cmp("gt", "meta.lastmodified", "2026"),
	} {
		_, _, err := store.ListSCIMMembers(ctx, db.R, "o1", &c, store.SCIMSort{}, 0, 10)
		if !errors.Is(err, store.ErrBadFilter) || strings.Contains(err.Error(), "SQL") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, _, err := store.ListSCIMMembers(ctx, db.R, "o1", nil, store.SCIMSort{Attr: "active"}, 0, 10); !errors.Is(err, store.ErrBadFilter) {
		t.Errorf("sort by a boolean: %v", err)
	}
}
