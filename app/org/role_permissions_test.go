package org_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestCustomRoleOnlyFromTheFixedPermissions: a custom role asking for a permission outside the
// fixed list, or for managing owners (which only the built-in owner role has), is refused as
// invalid with a message naming that permission, and no role is made. The same role with
// known permissions is made.
func TestCustomRoleOnlyFromTheFixedPermissions(t *testing.T) {
	f := newFixture(t)
	keys := func() []string {
		t.Helper()
		roles, err := f.svc.ListRoles(f.ctx, f.owner)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range roles {
			out = append(out, r.Key)
		}
		slices.Sort(out)
		return out
	}
	before := keys()
	for _, bad := range []string{"billing:manage", "Members:Read", "members:read ", string(org.PermOwners)} {
		_, err := f.svc.CreateRole(f.ctx, f.owner, "support", "Support", []string{string(org.PermMembersRead), bad})
		e, ok := org.AsError(err)
		if !ok || e.Code != org.CodeInvalid {
			t.Fatalf("role with %q: %v; want %s", bad, err, org.CodeInvalid)
		}
		if e.Field != "permissions" || !strings.Contains(e.Message, `"`+bad+`"`) {
			t.Fatalf("role with %q: field %q, message %q; want the permissions field and the permission named", bad, e.Field, e.Message)
		}
		if after := keys(); !slices.Equal(after, before) {
			t.Fatalf("roles after refusing %q: %v; before: %v", bad, after, before)
		}
	}
	r, err := f.svc.CreateRole(f.ctx, f.owner, "support", "Support", []string{string(org.PermMembersRead), string(org.PermInvite)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Permissions, []string{"members:read", "invitations:manage"}) {
		t.Fatalf("support role permissions %v", r.Permissions)
	}
	if after := keys(); !slices.Contains(after, "support") || len(after) != len(before)+1 {
		t.Fatalf("roles after making support: %v", after)
	}
}
