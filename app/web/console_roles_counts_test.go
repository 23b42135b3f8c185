package web_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/lobby/lobby/app/org"
)

var roleRow = regexp.MustCompile(`(?s)<td><a href="(/console/acme\?role=[^"]+)">([^<]+)</a>.*?</td>\s*<td>(\d+)</td>`)

// TestConsoleRolesCountsAndLinks: the Roles screen shows how many active members have each role,
// and each role's name links to the People list filtered by that role.
func TestConsoleRolesCountsAndLinks(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	if _, err := s.svc.CreateRole(ctx, s.admin, "team-lead", "Team lead", []string{"members:read"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateRole(ctx, s.admin, "auditor", "Auditor", []string{"audit:read"}); err != nil {
		t.Fatal(err)
	}
	for email, role := range map[string]string{"mo@acme.test": org.RoleMember, "gil@acme.test": org.RoleMember,
		"tim@acme.test": "team-lead", "dee@acme.test": org.RoleMember} {
		m, err := s.svc.AddMember(ctx, s.admin, org.NewMember{Email: email, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		if email == "dee@acme.test" { // a deactivated member holds no seat and is not counted
			off := "deactivated"
			if _, err := s.svc.UpdateMember(ctx, s.admin, m.ID, org.MemberEdit{Status: &off}); err != nil {
				t.Fatal(err)
			}
		}
	}
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	p := a.get("/console/acme/roles")
	got := map[string]string{}
	links := map[string]string{}
	for _, m := range roleRow.FindAllStringSubmatch(p.body, -1) {
		got[m[2]], links[m[2]] = m[3], m[1]
	}
	want := map[string]string{"Owner": "1", "Admin": "1", "Member": "2", "Team lead": "1", "Auditor": "0"}
	for name, n := range want {
		if got[name] != n {
			t.Errorf("the Roles screen says %q people are %s, want %s (rows: %v)", got[name], name, n, got)
		}
	}
	if links["Team lead"] != "/console/acme?role=team-lead" || links["Member"] != "/console/acme?role=member" {
		t.Fatalf("role links: %v", links)
	}
	// Following a role's link lists the people with that role.
	if people := listed(a.get(links["Team lead"])); !slices.Equal(people, []string{"tim@acme.test"}) {
		t.Fatalf("the Team lead link lists %v", people)
	}
	if people := listed(a.get(links["Member"])); !slices.Equal(people, []string{"dee@acme.test", "gil@acme.test", "mo@acme.test"}) {
		t.Fatalf("the Member link lists %v", people)
	}
}
