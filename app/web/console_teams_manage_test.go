package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestConsoleTeamRenameAndDelete: an admin renames a team and then deletes it on the Teams
// screen; the screen says what happened, and the team's member stays in the organization.
func TestConsoleTeamRenameAndDelete(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	sales, err := s.svc.CreateTeam(ctx, s.admin, "Sales")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateTeam(ctx, s.admin, "Support"); err != nil {
		t.Fatal(err)
	}
	mo, err := s.svc.AddMember(ctx, s.admin, org.NewMember{Email: "mo@acme.test", Name: "Mo"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.UpdateMember(ctx, s.admin, mo.ID, org.MemberEdit{Teams: &[]string{"Sales"}}); err != nil {
		t.Fatal(err)
	}
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme/teams")
	base := "/console/acme/teams/" + sales.ID

	text := a.follow(a.post(base+"/rename", "name", "Sales EMEA"))
	if !strings.Contains(text, "Renamed to Sales EMEA.") {
		t.Fatalf("after renaming:\n%s", text)
	}
	a.get("/console/acme/teams").mustContain(t, `>Sales EMEA</a>`)
	var name string
	if err := s.db.R.QueryRow(`SELECT name FROM teams WHERE id = ?`, sales.ID).Scan(&name); err != nil || name != "Sales EMEA" {
		t.Fatalf("stored name %q: %v", name, err)
	}
	// A name another team has is refused with the console's words, and nothing changes.
	text = a.follow(a.post(base+"/rename", "name", "Support"))
	if !strings.Contains(text, `A team named "Support" already exists.`) {
		t.Fatalf("renaming to a taken name:\n%s", text)
	}

	text = a.follow(a.post(base + "/delete"))
	if !strings.Contains(text, "Deleted the team. Its members stay in the organization.") {
		t.Fatalf("after deleting:\n%s", text)
	}
	if strings.Contains(a.get("/console/acme/teams").body, "Sales EMEA") {
		t.Fatal("the Teams screen still lists the deleted team")
	}
	if n := s.count(`SELECT count(*) FROM teams WHERE id = ?`, sales.ID); n != 0 {
		t.Fatal("the team is still stored")
	}
	if n := s.count(`SELECT count(*) FROM memberships WHERE id = ? AND status = 'active'`, mo.ID); n != 1 {
		t.Fatal("deleting the team removed its member from the organization")
	}
}

// TestConsoleSCIMTeamIsReadOnly: a team made by the identity provider shows as read-only on the
// Teams screen, and deleting or renaming it from the console is refused with the reason.
func TestConsoleSCIMTeamIsReadOnly(t *testing.T) {
	s := newSite(t)
	g, err := s.svc.SCIMCreateGroup(t.Context(), s.admin, "Okta Engineers", "okta-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	p := a.get("/console/acme/teams")
	p.mustContain(t, "Okta Engineers", "Your identity provider", "Read-only here")
	if strings.Contains(p.body, "/teams/"+g.ID+"/delete") {
		t.Fatal("the Teams screen offers to delete a team the identity provider manages")
	}
	want := `The team "Okta Engineers" is managed by your identity provider; change it there.`
	if text := a.follow(a.post("/console/acme/teams/" + g.ID + "/delete")); !strings.Contains(text, want) {
		t.Fatalf("deleting a SCIM team:\n%s", text)
	}
	if text := a.follow(a.post("/console/acme/teams/"+g.ID+"/rename", "name", "Renamed")); !strings.Contains(text, want) {
		t.Fatalf("renaming a SCIM team:\n%s", text)
	}
	if n := s.count(`SELECT count(*) FROM teams WHERE id = ? AND name = 'Okta Engineers'`, g.ID); n != 1 {
		t.Fatal("the SCIM team was changed from the console")
	}
}
