package org_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// readCSV writes an export and parses it back, checking the byte order mark.
func readCSV(t *testing.T, f *fixture, e org.Export) [][]string {
	t.Helper()
	var b bytes.Buffer
	if err := e.Write(f.ctx, &b); err != nil {
		t.Fatal(err)
	}
	body, ok := bytes.CutPrefix(b.Bytes(), []byte("\uFEFF"))
	if !ok {
		t.Fatal("the export does not start with a UTF-8 byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("the export is not CSV: %v", err)
	}
	return rows
}

func TestExportMembersPagesAndNeutralises(t *testing.T) {
	f := newFixture(t)
	team, err := f.svc.CreateTeam(f.ctx, f.owner, "Sales")
	if err != nil {
		t.Fatal(err)
	}
	// More members than one page of the store, so the export has to page.
	for i := range 1001 {
		if _, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: fmt.Sprintf("m%d@x.test", i), Name: "M", Role: org.RoleMember}); err != nil {
			t.Fatal(err)
		}
	}
	evil, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "evil@x.test", Name: `=HYPERLINK("http://evil.test","x")`, Role: org.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetTeamMember(f.ctx, f.owner, team.ID, evil.ID, true); err != nil {
		t.Fatal(err)
	}
	e, err := f.svc.ExportMembers(f.ctx, f.owner, store.MemberFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, f, e)
	if len(rows) != 1+1003 || strings.Join(rows[0], ",") != "email,name,role,team,status,source,joined_at" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	if e.Filename != "acme-members-2026-03-01.csv" {
		t.Errorf("file name %q", e.Filename)
	}
	first := rows[1] // newest first
	if first[0] != "evil@x.test" || first[1] != `'=HYPERLINK("http://evil.test","x")` || first[3] != "Sales" || first[6] != "2026-03-01T09:00:00Z" {
		t.Errorf("first row %q", first)
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		if seen[r[0]] {
			t.Fatalf("%s exported twice", r[0])
		}
		seen[r[0]] = true
	}
	// Filters are those of the list.
	e, err = f.svc.ExportMembers(f.ctx, f.owner, store.MemberFilter{TeamID: "sales"})
	if err != nil {
		t.Fatal(err)
	}
	if rows := readCSV(t, f, e); len(rows) != 2 || rows[1][0] != "evil@x.test" {
		t.Fatalf("team filter: %v", rows)
	}
	if _, err := f.svc.ExportMembers(f.ctx, f.owner, store.MemberFilter{Status: "gone"}); codeOf(err) != org.CodeInvalid {
		t.Fatalf("bad status: %v", err)
	}
}

func TestExportInvitationsAndImportReport(t *testing.T) {
	f := newFixture(t)
	p := f.preview("email,name\n+1@x.test,@boss\nok@x.test,Ok\nbad,-3\n", org.ImportOptions{Filename: "people.csv"})
	if _, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, org.CommitOptions{Notify: false}); err != nil {
		t.Fatal(err)
	}
	f.invite("solo@x.test")
	e, err := f.svc.ExportInvitations(f.ctx, f.owner, store.InvitationFilter{ImportID: p.Import.ID})
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, f, e)
	if len(rows) != 3 || rows[0][0] != "email" || rows[0][7] != "import_id" {
		t.Fatalf("invitations of the import: %v", rows)
	}
	for _, r := range rows[1:] {
		if r[7] != p.Import.ID || r[4] != "pending" || r[5] != "not_sent" || r[10] != "" {
			t.Errorf("row %q", r)
		}
		if r[0] == "+1@x.test" && r[1] != "'@boss" {
			t.Errorf("the name cell is not neutralised: %q", r[1])
		}
	}
	e, err = f.svc.ImportReport(f.ctx, f.owner, p.Import.ID)
	if err != nil {
		t.Fatal(err)
	}
	rows = readCSV(t, f, e)
	if e.Filename != "people.report.csv" || len(rows) != 4 || strings.Join(rows[0], ",") != "line,email,name,role,team,outcome,result,message,invitation_id" {
		t.Fatalf("report %s: %v", e.Filename, rows)
	}
	if r := rows[1]; r[0] != "2" || r[1] != "'+1@x.test" || r[5] != org.OutcomeInvited || r[6] != "invited" || r[8] == "" {
		t.Errorf("report row %q", r)
	}
	if r := rows[3]; r[1] != "bad" || r[2] != "'-3" || r[5] != org.OutcomeInvalidEmail || r[8] != "" {
		t.Errorf("report row %q", r)
	}
}

// The audit log's export goes through every page of the filter, newest first, each entry once:
// the console streams it as the browser reads, a thousand at a time.
func TestExportAuditPagesThroughTheWholeFilter(t *testing.T) {
	f := newFixture(t)
	var entries []store.AuditEntry
	for i := range 2500 {
		action := "team.created"
		if i%5 == 0 {
			action = "member.added"
		}
		entries = append(entries, store.AuditEntry{ID: store.NewID(), OrgID: f.org.ID, ActorKind: "cli", ActorName: "test",
			Action: action, TargetKind: "team", TargetID: fmt.Sprintf("t%04d", i), Details: "{}", CreatedAt: int64(i)})
	}
	if err := f.db.Tx(f.ctx, func(q store.Q) error { return store.InsertAudit(f.ctx, q, entries...) }); err != nil {
		t.Fatal(err)
	}
	e, err := f.svc.ExportAudit(f.ctx, f.owner, store.AuditFilter{Action: "team.created"})
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, f, e)
	if len(rows) != 2001 || strings.Join(rows[0], ",") != "time,actor_kind,actor,action,target_kind,target_id,details" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	var want []string // newest first, without every fifth
	for i := 2499; i >= 0; i-- {
		if i%5 != 0 {
			want = append(want, fmt.Sprintf("t%04d", i))
		}
	}
	for k, r := range rows[1:] {
		if r[3] != "team.created" || r[5] != want[k] {
			t.Fatalf("row %d: %v, want target %s", k+1, r, want[k])
		}
	}
	if !strings.HasPrefix(e.Filename, "acme-audit-") {
		t.Fatalf("file name %q", e.Filename)
	}
}
