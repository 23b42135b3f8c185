package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestConsoleBulkChangesRole: changing the role of the selected rows changes it for members and
// invitations alike, and for nobody else.
func TestConsoleBulkChangesRole(t *testing.T) {
	s := newSite(t)
	ann, bo, carl := bulkPeople(t, s)
	dee, err := s.svc.AddMember(t.Context(), s.admin, org.NewMember{Email: "dee@example.com", Name: "Dee"})
	if err != nil {
		t.Fatal(err)
	}
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme")
	text := a.follow(a.bulk([]string{ann, carl, "member:" + dee.ID}, "action", "role", "role", org.RoleAdmin))
	if want := "Changed the role of 3 people."; !strings.Contains(text, want) {
		t.Fatalf("the result lacks %q:\n%s", want, text)
	}
	memberRole := func(email string) string {
		var key string
		if err := s.db.R.QueryRow(`SELECT r.key FROM memberships m JOIN roles r ON r.id = m.role_id JOIN users u ON u.id = m.user_id
			WHERE u.email_norm = ?`, email).Scan(&key); err != nil {
			t.Fatalf("role of %s: %v", email, err)
		}
		return key
	}
	invitationRole := func(sel string) string {
		var key string
		if err := s.db.R.QueryRow(`SELECT r.key FROM invitations i JOIN roles r ON r.id = i.role_id WHERE i.id = ?`,
			strings.TrimPrefix(sel, "invitation:")).Scan(&key); err != nil {
			t.Fatalf("role of %s: %v", sel, err)
		}
		return key
	}
	for who, got := range map[string]string{"Carl": memberRole("carl@example.com"), "Dee": memberRole("dee@example.com"),
		"Ann's invitation": invitationRole(ann)} {
		if got != org.RoleAdmin {
			t.Errorf("%s has the role %q, want admin", who, got)
		}
	}
	if got := invitationRole(bo); got != org.RoleMember {
		t.Errorf("bo's invitation, not selected, has the role %q", got)
	}
}

// TestConsoleBulkAddsToTeam: adding the selected rows to a team adds the members, and names the
// invitations as left out, since an invitation's teams are changed on its own page.
func TestConsoleBulkAddsToTeam(t *testing.T) {
	s := newSite(t)
	ann, _, carl := bulkPeople(t, s)
	dee, err := s.svc.AddMember(t.Context(), s.admin, org.NewMember{Email: "dee@example.com", Name: "Dee"})
	if err != nil {
		t.Fatal(err)
	}
	blue, err := s.svc.CreateTeam(t.Context(), s.admin, "Blue")
	if err != nil {
		t.Fatal(err)
	}
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme")
	text := a.follow(a.bulk([]string{ann, carl, "member:" + dee.ID}, "action", "team", "team", blue.ID))
	want := "Added 2 members to the team. Not for the others: Ann Lee has an invitation, not a membership. " +
		"Add to team works on members only; an invitation's teams are changed on its own page."
	if !strings.Contains(text, want) {
		t.Fatalf("the result lacks %q:\n%s", want, text)
	}
	if n := s.count(`SELECT count(*) FROM team_members tm JOIN memberships m ON m.id = tm.membership_id JOIN users u ON u.id = m.user_id
		WHERE tm.team_id = ? AND u.email_norm IN ('carl@example.com', 'dee@example.com')`, blue.ID); n != 2 {
		t.Fatalf("%d of Carl and Dee are in Blue", n)
	}
	if n := s.count(`SELECT count(*) FROM team_members WHERE team_id = ?`, blue.ID); n != 2 {
		t.Fatalf("Blue has %d members, want Carl and Dee", n)
	}
	if n := s.count(`SELECT count(*) FROM invitation_teams WHERE team_id = ?`, blue.ID); n != 0 {
		t.Fatal("Ann's invitation was added to the team")
	}
}
