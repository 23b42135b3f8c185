package web_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/lobby/lobby/app/org"
)

var peopleRow = regexp.MustCompile(`aria-label="Select ([^"]+)"`)

// listed is the addresses on a People page, in the order shown.
func listed(p page) []string {
	var out []string
	for _, m := range peopleRow.FindAllStringSubmatch(p.body, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// TestConsolePeopleFilters: the People list filtered by role shows only the members and
// invitations with that role, and filtered by team only the members and invitations in that team.
func TestConsolePeopleFilters(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	blue, err := s.svc.CreateTeam(ctx, s.admin, "Blue")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateTeam(ctx, s.admin, "Green"); err != nil {
		t.Fatal(err)
	}
	mo, err := s.svc.AddMember(ctx, s.admin, org.NewMember{Email: "mo@acme.test", Name: "Mo"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.UpdateMember(ctx, s.admin, mo.ID, org.MemberEdit{Teams: &[]string{"Blue"}}); err != nil {
		t.Fatal(err)
	}
	gil, err := s.svc.AddMember(ctx, s.admin, org.NewMember{Email: "gil@acme.test", Name: "Gil"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.UpdateMember(ctx, s.admin, gil.ID, org.MemberEdit{Teams: &[]string{"Green"}}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []org.InviteRequest{
		{Emails: []string{"boss@example.com"}, Role: org.RoleAdmin},
		{Emails: []string{"bluebird@example.com"}, Teams: []string{"Blue"}},
		{Emails: []string{"greenling@example.com"}, Teams: []string{"Green"}},
	} {
		if res, err := s.svc.Invite(ctx, s.owner, r); err != nil || len(res.Created) != 1 {
			t.Fatalf("invite %v: %v %+v", r.Emails, err, res.Errors)
		}
	}
	all := listed(a.get("/console/acme"))
	if want := []string{"ada@acme.test", "bluebird@example.com", "boss@example.com", "gil@acme.test", "greenling@example.com",
		"mo@acme.test", "olga@acme.test"}; !slices.Equal(all, want) {
		t.Fatalf("everyone: %v, want %v", all, want)
	}
	p := a.get("/console/acme?role=admin")
	if got, want := listed(p), []string{"ada@acme.test", "boss@example.com"}; !slices.Equal(got, want) {
		t.Fatalf("role=admin lists %v, want %v", got, want)
	}
	p.mustContain(t, `<option value="admin" selected>Admin</option>`)
	p = a.get("/console/acme?team=" + blue.ID)
	if got, want := listed(p), []string{"bluebird@example.com", "mo@acme.test"}; !slices.Equal(got, want) {
		t.Fatalf("team=Blue lists %v, want %v", got, want)
	}
	p.mustContain(t, `<option value="`+blue.ID+`" selected>Blue</option>`)
	// Both at once: admins in Blue, of whom there are none.
	a.get("/console/acme?role=admin&team="+blue.ID).mustContain(t, "Nobody matches")
}
