package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestJoinTeamResourcesReachTheJoiner: a link shared with the team that joiners are put in shows
// on the dashboard of someone who just joined; a link for another team does not.
func TestJoinTeamResourcesReachTheJoiner(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	for _, team := range []string{"Learners", "Staff"} {
		if _, err := s.svc.CreateTeam(ctx, s.admin, team); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.svc.CreateResource(ctx, s.admin, "Course library", "https://courses.example.net/library", "Every course", []string{"Learners"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateResource(ctx, s.admin, "Staff wiki", "https://wiki.example.net/", "", []string{"Staff"}); err != nil {
		t.Fatal(err)
	}
	path := s.openJoin(func(p *org.SettingsPatch) { p.JoinTeams = &[]string{"Learners"} })
	b := s.browser()
	b.get(path)
	b.post(path, "email", "jo@example.com")
	link := s.joinLink("jo@example.com")
	b.get(link)
	p := b.post(link, "step", "signup", "name", "Jo", "password", "jo's long password")
	if p.status != 303 {
		t.Fatalf("confirm: %d %s", p.status, p.body)
	}
	dash := b.get("/")
	dash.mustContain(t, `href="https://courses.example.net/library"`, "Course library", "Every course", "Learners")
	if strings.Contains(dash.body, "Staff wiki") {
		t.Fatal("the joiner sees a link shared only with another team")
	}
}
