package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// The cron jobs reach every organization on the instance, so an admin who may change one
// organization's settings may neither see nor run them; an owner may, and the run is audited.
func TestConsoleJobsAreForOwners(t *testing.T) {
	s := newSite(t)
	const jobsLink = `href="/console/acme/jobs"`
	ada := s.signedIn("ada@acme.test", org.RoleAdmin)
	if p := ada.get("/console/acme/settings"); p.status != 200 || strings.Contains(p.body, jobsLink) {
		t.Fatalf("the admin cannot open settings, or is shown the jobs (%d)", p.status)
	}
	p := ada.get("/console/acme/jobs")
	if p.status != 303 || strings.Contains(p.body, "Counts its runs.") {
		t.Fatalf("the admin sees the jobs (%d)", p.status)
	}
	ada.get(p.location).mustContain(t, "Only owners can see the jobs.")
	p = ada.post("/console/acme/jobs/tally/run")
	ada.get(p.location).mustContain(t, "Only owners can run jobs.")
	if n := s.tallies.Load(); n != 0 {
		t.Fatalf("the admin ran the job %d times", n)
	}

	olga := s.signedIn("olga2@acme.test", org.RoleOwner)
	olga.get("/console/acme/jobs").mustContain(t, jobsLink, "Counts its runs.")
	p = olga.post("/console/acme/jobs/tally/run")
	olga.get(p.location).mustContain(t, "Counted 1.")
	if n := s.tallies.Load(); n != 1 {
		t.Fatalf("the owner's run ran the job %d times", n)
	}
	if n := s.count(`SELECT count(*) FROM audit_log WHERE action = 'job.run' AND target_id = 'tally'
		AND actor_name = 'olga2' AND details LIKE '%counted 1%'`); n != 1 {
		t.Fatalf("%d audit rows for the owner's run", n)
	}
	olga.get("/console/acme/audit").mustContain(t, "job.run", "counted 1")
	// A run that does not finish is refused in words and recorded with its error.
	p = olga.post("/console/acme/jobs/nap/run")
	olga.get(p.location).mustContain(t, `role="alert">The job did not finish:`)
	if n := s.count(`SELECT count(*) FROM audit_log WHERE action = 'job.run' AND target_id = 'nap' AND details LIKE '%"error"%'`); n != 1 {
		t.Fatalf("%d audit rows for the run that failed", n)
	}
}

// TestConsoleJobsReadInWords: the Jobs screen says when a job runs in words, not as its cron
// spec, and a run by hand answers with what the job did as a sentence.
func TestConsoleJobsReadInWords(t *testing.T) {
	s := newSite(t)
	olga := s.signedIn("olga2@acme.test", org.RoleOwner)
	p := olga.get("/console/acme/jobs")
	if text := p.text(); !strings.Contains(text, "Counts its runs. Every hour") || strings.Contains(text, "@every") {
		t.Fatalf("the schedule of the tally job reads:\n%s", text)
	}
	p = olga.post("/console/acme/jobs/tally/run")
	notice := regexp.MustCompile(`<p class="notice"[^>]*>([^<]*)</p>`).FindStringSubmatch(olga.get(p.location).body)
	if notice == nil || notice[1] != "Counted 1." {
		t.Fatalf("the run's notice: %q", notice)
	}
	olga.get("/console/acme/jobs").mustContain(t, "It took", "Counted 1.")
}
