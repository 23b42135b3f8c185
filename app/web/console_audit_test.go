package web_test

import (
	"context"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// TestConsoleAuditReadsAsWords: the audit log says what happened in words an admin reads
// (what, who, details), keeps each code beside its name for the filter, labels its filters,
// and never shows the session; the CSV download still has the codes, kinds and JSON.
func TestConsoleAuditReadsAsWords(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.post("/console/acme/teams", "name", "Sales")
	p := a.get("/console/acme/audit")
	p.mustContain(t, `<label for="actor">Who</label>`, `<label for="action">What</label>`, `<label for="since">Since</label>`)
	text := p.text()
	for _, want := range []string{"Team created team.created", "ada · person", "Name: Sales", "Organization created",
		"t · command line", "Member added", "Email: ada@acme.test · Role: admin", "like invitation. for every invitation action"} {
		if !strings.Contains(text, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, text)
		}
	}
	for _, raw := range []string{"(user)", "(cli)", `{"name"`, "session", "Who (name or id)", "What, e.g."} {
		if strings.Contains(p.body, raw) {
			t.Errorf("the audit log shows %q", raw)
		}
	}
	// The filter still matches codes, whole or by their first part with the dot.
	if body := a.get("/console/acme/audit?action=team.").body; !strings.Contains(body, ">team.created</code>") || strings.Contains(body, ">member.added</code>") {
		t.Fatalf("the filter team. shows:\n%s", body)
	}
	if body := a.get("/console/acme/audit?action=team").body; !strings.Contains(body, "Nothing recorded for this filter") {
		t.Fatalf("the filter team (no dot) matched:\n%s", body)
	}
	// The download is unchanged: codes, raw kinds and the JSON, session included.
	csv := a.get("/console/acme/audit?format=csv").body
	if !strings.HasPrefix(csv, "\uFEFFtime,actor_kind,actor,action,target_kind,target_id,details\r\n") {
		t.Fatalf("csv header:\n%s", csv)
	}
	if !regexp.MustCompile(`,user,ada,team\.created,team,[0-9a-f-]+,"\{""name"":""Sales"",""session"":""[0-9a-f]{12}""\}"`).MatchString(csv) {
		t.Fatalf("csv rows:\n%s", csv)
	}
}

// text is what a person reads on the page: its text without tags, spaces collapsed.
func (p page) text() string {
	s := regexp.MustCompile(`(?s)<head>.*</head>|<[^>]*>`).ReplaceAllString(p.body, " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// auditCodes are the action codes org writes, found in its source: the literal codes on the
// lines that build audit entries or choose their action.
func auditCodes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../org/*.go")
	if err != nil {
		t.Fatal(err)
	}
	code := regexp.MustCompile(`"([a-z]+\.[a-z_]+)"`)
	seen := map[string]bool{}
	var codes []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if !strings.Contains(line, "audit(") && !strings.Contains(line, "auditEntry(") && !strings.Contains(line, "action") {
				continue
			}
			for _, m := range code.FindAllStringSubmatch(line, -1) {
				if !seen[m[1]] {
					seen[m[1]] = true
					codes = append(codes, m[1])
				}
			}
		}
	}
	if len(codes) < 40 {
		t.Fatalf("found only %d audit actions in app/org: %v", len(codes), codes)
	}
	return codes
}

// TestConsoleAuditNamesEveryAction: every action the code records has a name in words in the
// audit log, with its code beside it.
func TestConsoleAuditNamesEveryAction(t *testing.T) {
	s := newSite(t)
	codes := auditCodes(t)
	var entries []store.AuditEntry
	for i, c := range codes {
		entries = append(entries, store.AuditEntry{ID: store.NewID(), OrgID: s.org.ID, ActorKind: "system", ActorName: "test",
			Action: c, CreatedAt: int64(i + 1)})
	}
	if err := store.InsertAudit(context.Background(), s.db.W, entries...); err != nil {
		t.Fatal(err)
	}
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	body := a.get("/console/acme/audit").body
	shown := map[string]string{}
	for _, m := range regexp.MustCompile(`<span class="what">([^<]*)</span><br><code[^>]*>([^<]*)</code>`).FindAllStringSubmatch(body, -1) {
		shown[m[2]] = m[1]
	}
	for _, c := range codes {
		name, ok := shown[c]
		if !ok {
			t.Errorf("%s is not in the audit log", c)
		} else if name == c || name == "" {
			t.Errorf("%s has no name in words", c)
		}
	}
}
