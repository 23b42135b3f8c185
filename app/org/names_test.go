package org_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// A name with a line break or a control character (NUL, tab, escape) is refused wherever a
// name is given, with a message that says so, and nothing is stored; one on one line is kept.
func TestNamesAreOneLineOfText(t *testing.T) {
	f := newFixture(t)
	for _, bad := range []string{"Ops\x00", "Two\nlines", "Tab\there", "\x1b[31mRed"} {
		// A team name's white space is folded to single spaces ("Two lines"); the rest is refused.
		if strings.ContainsAny(bad, "\x00\x1b") {
			if _, err := f.svc.CreateTeam(f.ctx, f.owner, bad); codeOf(err) != org.CodeInvalid || !strings.Contains(err.Error(), "one line") {
				t.Errorf("team %q: %v", bad, err)
			}
		}
		if _, err := f.svc.CreateResource(f.ctx, f.owner, bad, "https://wiki.example", "", nil); codeOf(err) != org.CodeInvalid {
			t.Errorf("resource %q: %v", bad, err)
		}
		if _, err := f.svc.CreateRole(f.ctx, f.owner, "role-x", bad, nil); codeOf(err) != org.CodeInvalid {
			t.Errorf("role %q: %v", bad, err)
		}
		if _, err := f.svc.CreateToken(f.ctx, f.owner, "api", bad); codeOf(err) != org.CodeInvalid {
			t.Errorf("token %q: %v", bad, err)
		}
		n := bad
		if _, err := f.svc.UpdateSettings(f.ctx, f.owner, org.SettingsPatch{Name: &n}); codeOf(err) != org.CodeInvalidSetting {
			t.Errorf("organization name %q: %v", bad, err)
		}
		if _, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{"x@example.com"}, Name: bad}); codeOf(err) != org.CodeInvalid {
			t.Errorf("invitation name %q: %v", bad, err)
		}
		if err := f.svc.UpdateName(f.ctx, f.owner.UserID, bad); codeOf(err) != org.CodeInvalid {
			t.Errorf("account name %q: %v", bad, err)
		}
		if _, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "added@example.com", Name: bad}); codeOf(err) != org.CodeInvalid {
			t.Errorf("added member's name %q: %v", bad, err)
		}
	}
	if n := f.count(`SELECT count(*) FROM teams`) + f.count(`SELECT count(*) FROM invitations`) + f.count(`SELECT count(*) FROM api_tokens`); n != 0 {
		t.Fatalf("%d rows were stored with a bad name", n)
	}
	p := f.preview("email,name\r\nann@example.com,\"Ann\tLee\"\r\nbo@example.com,Bo\r\n", org.ImportOptions{})
	rows := f.rows(p.Import.ID)
	if rows[2].Outcome != org.OutcomeInvalidRow || !strings.Contains(rows[2].Message, "control character") || rows[3].Outcome != org.OutcomeInvite {
		t.Fatalf("import rows: %+v", rows)
	}
	if _, err := f.svc.CreateTeam(f.ctx, f.owner, "Sales & Ops — EMEA"); err != nil {
		t.Fatalf("a name on one line: %v", err)
	}
	// A name a work login's provider sends is taken, folded to one line.
	on, slug, domains := true, "acme-join", []string{"example.com"}
	if _, err := f.svc.UpdateSettings(f.ctx, f.admin, org.SettingsPatch{JoinEnabled: &on, JoinSlug: &slug, JoinAllowedDomains: &domains}); err != nil {
		t.Fatal(err)
	}
	j, err := f.svc.JoinWithIdentity(f.ctx, slug, org.Identity{Issuer: "https://idp.test", Subject: "1", Email: "nia@example.com",
		Name: "Nia\n\x00Ng", ProviderID: "work", Provider: "Work"}, "")
	if err != nil || j.User.Name != "Nia Ng" {
		t.Fatalf("a provider's name with a line break: %q %v", j.User.Name, err)
	}
}
