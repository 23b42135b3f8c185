package web_test

import "testing"

// Before an admin removes someone, the member's page says what will be handed to them: how
// many invitations the person sent and how many teams they own; and after, those are theirs.
func TestConsoleMemberPageSaysWhatDeletingHandsOver(t *testing.T) {
	s := newSite(t)
	bob := s.signedIn("bob@acme.test", "admin")
	if p := bob.post("/console/acme/invite", "emails", "x1@example.com, x2@example.com", "step", "send"); p.status != 200 && p.status != 303 {
		t.Fatalf("bob invites: %d", p.status)
	}
	if p := bob.post("/console/acme/teams", "name", "Bob's crew"); p.status != 303 && p.status != 200 {
		t.Fatalf("bob makes a team: %d", p.status)
	}
	ada := s.signedIn("ada@acme.test", "admin")
	s.signedIn("cy@acme.test", "member")
	memberID := func(email string) string {
		t.Helper()
		var id string
		if err := s.db.R.QueryRow(`SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = ?`, email).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	ada.get("/console/acme/members/"+memberID("bob@acme.test")).mustContain(t,
		"The 2 invitations they sent and the team they own will become yours.")
	ada.get("/console/acme/members/"+memberID("cy@acme.test")).mustContain(t,
		"They sent no invitations and own no teams, so nothing is handed to you.")

	p := ada.post("/console/acme/members/"+memberID("bob@acme.test")+"/delete", "confirm", "bob@acme.test")
	if p.status != 303 {
		t.Fatalf("delete bob: %d %s", p.status, p.body)
	}
	var ours int
	if err := s.db.R.QueryRow(`SELECT count(*) FROM invitations i JOIN users u ON u.id = i.invited_by WHERE u.email_norm = 'ada@acme.test'`).Scan(&ours); err != nil {
		t.Fatal(err)
	}
	if ours != 2 {
		t.Fatalf("after deleting bob, ada has %d of his invitations, want 2", ours)
	}
	ada.get(p.location).mustContain(t, "bob@acme.test was removed. The 2 invitations they sent and the team they owned are now yours.")
}
