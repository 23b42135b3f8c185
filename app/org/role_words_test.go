package org_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// An unknown role is refused with the roles that exist, written as a sentence lists them.
func TestUnknownRoleListsTheRoles(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{"a@x.test"}, Role: "boss"})
	if e, ok := org.AsError(err); !ok || e.Code != org.CodeUnknownRole || !strings.HasSuffix(e.Message, "use one of owner, admin, member") {
		t.Fatalf("%v", err)
	}
}
