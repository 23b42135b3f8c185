package org_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// preview uploads a CSV file as the owner and fails the test on any error.
func (f *fixture) preview(csv string, opt org.ImportOptions) org.ImportPreview {
	f.t.Helper()
	p, err := f.svc.PreviewImport(f.ctx, f.owner, strings.NewReader(csv), opt)
	if err != nil {
		f.t.Fatalf("preview: %v", err)
	}
	return p
}

// rows returns every row of an import's report by line.
func (f *fixture) rows(id string) map[int]org.ImportRow {
	f.t.Helper()
	list, err := f.svc.ImportRows(f.ctx, f.owner, id, org.ImportRowFilter{Limit: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[int]org.ImportRow{}
	for _, r := range list {
		out[r.Line] = r
	}
	return out
}

func limits(rows int, bytes int64) csvin.Limits { return csvin.Limits{MaxRows: rows, MaxBytes: bytes} }

func (f *fixture) setSeats(n int64) {
	f.t.Helper()
	if _, err := f.svc.UpdateSettings(f.ctx, f.owner, org.SettingsPatch{SeatLimitSet: true, SeatLimit: &n}); err != nil {
		f.t.Fatal(err)
	}
}

func TestImportPreviewClassifiesEveryRow(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.CreateTeam(f.ctx, f.owner, "Sales"); err != nil {
		t.Fatal(err)
	}
	f.invite("pending@x.test")
	gone, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "gone@x.test", Name: "Gone", Role: org.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UpdateMember(f.ctx, f.owner, gone.ID, org.MemberEdit{Status: ptr("deactivated")}); err != nil {
		t.Fatal(err)
	}
	bob, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "bob@acme.test", Name: "Bob", Role: org.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	// Seats: alice, bob and the pending invitation hold 3 of 5, so two rows fit.
	f.setSeats(5)
	adminRole, _ := store.GetRoleByKey(f.ctx, f.db.R, f.org.ID, org.RoleAdmin)
	bobActor := org.Actor{Kind: "user", ID: bob.UserID, UserID: bob.UserID, Name: "Bob", OrgID: f.org.ID, Role: adminRole}
	csv := "Email,Name,Role,Team,Phone\n" +
		"new@x.test,New,member,sales,123\n" + // 2
		"Alice@Acme.test,Alice,,,\n" + // 3
		"pending@x.test,,,,\n" + // 4
		"dup@x.test,First,,,\n" + // 5
		"bad@,,,,\n" + // 6
		"role@x.test,,wizard,,\n" + // 7
		"team@x.test,,,Nope;Sales,\n" + // 8
		"DUP@x.test,Second,,,\n" + // 9
		"owner@x.test,,owner,,\n" + // 10
		"quote@x.test,Bad \"quote,,,\n" + // 11
		"gone@x.test,,,,\n" + // 12
		"seat1@x.test,,Admin,,\n" + // 13
		"seat2@x.test,,,,\n" + // 14
		"dup@x.test,Third,,,\n" + // 15
		"short@x.test\n" // 16
	before := f.count(`SELECT count(*) FROM invitations`)
	p, err := f.svc.PreviewImport(f.ctx, bobActor, strings.NewReader(csv), org.ImportOptions{Filename: `C:\Users\bob\people.csv`, FirstRows: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]struct{ outcome, message string }{
		2:  {org.OutcomeInvite, ""},
		3:  {org.OutcomeAlreadyMember, "already a member of Acme"},
		4:  {org.OutcomeAlreadyInvited, "left alone"},
		5:  {org.OutcomeInvite, "the address is also on lines 9 and 15"},
		6:  {org.OutcomeInvalidEmail, "email address"},
		7:  {org.OutcomeUnknownRole, `role "wizard" does not exist; use one of owner, admin, member`},
		8:  {org.OutcomeUnknownTeam, `there is no team "Nope"; create it first`},
		9:  {org.OutcomeDuplicate, "a repeat of line 5; the address is also on lines 5 and 15"},
		10: {org.OutcomeRoleNotAllowed, "only an owner"},
		11: {org.OutcomeInvalidRow, "quote"},
		12: {org.OutcomeDeactivated, "deactivated"},
		13: {org.OutcomeSeatLimit, "limit of 5 seats"},
		14: {org.OutcomeSeatLimit, "limit of 5 seats"},
		15: {org.OutcomeDuplicate, "a repeat of line 5; the address is also on lines 5 and 9"},
		16: {org.OutcomeInvalidRow, "the row has 1 cell but the header has 5 columns"},
	}
	rows := f.rows(p.Import.ID)
	if len(rows) != len(want) {
		t.Fatalf("%d rows stored, want %d", len(rows), len(want))
	}
	for line, w := range want {
		r := rows[line]
		if r.Outcome != w.outcome || !strings.Contains(r.Message, w.message) {
			t.Errorf("line %d (%s): %s %q, want %s containing %q", line, r.Email, r.Outcome, r.Message, w.outcome, w.message)
		}
	}
	if rows[9].Email != "dup@x.test" || rows[3].Email != "alice@acme.test" || rows[6].Email != "bad@" {
		t.Errorf("addresses are stored normalised when valid and as written otherwise: %q %q %q", rows[9].Email, rows[3].Email, rows[6].Email)
	}
	s := p.Import.Summary
	if p.Import.Status != org.ImportStatusPreview || p.Import.Filename != "people.csv" || s.Rows != 15 || s.ToInvite() != 2 ||
		s.Outcomes[org.OutcomeDuplicate] != 2 || s.Outcomes[org.OutcomeSeatLimit] != 2 || s.By != "Bob" {
		t.Errorf("import: status %s, file %q, summary %+v", p.Import.Status, p.Import.Filename, s)
	}
	if len(s.Ignored) != 1 || s.Ignored[0] != "Phone" || s.Separator != "comma" {
		t.Errorf("ignored %v, separator %q", s.Ignored, s.Separator)
	}
	if len(p.Rows) != 3 || p.Rows[0].Line != 2 {
		t.Errorf("the preview returned %d rows starting at %d; want the first 3", len(p.Rows), p.Rows[0].Line)
	}
	if got := f.count(`SELECT count(*) FROM invitations`); got != before {
		t.Errorf("the preview created %d invitations", got-before)
	}
	if got := f.count(`SELECT count(*) FROM teams`); got != 1 {
		t.Errorf("the preview created teams: %d", got)
	}
	// Only outcomes that exist can be asked for.
	if _, err := f.svc.ImportRows(f.ctx, f.owner, p.Import.ID, org.ImportRowFilter{Outcomes: []string{"nope"}}); codeOf(err) != org.CodeInvalid {
		t.Errorf("unknown outcome filter: %v", err)
	}
	dups, _ := f.svc.ImportRows(f.ctx, f.owner, p.Import.ID, org.ImportRowFilter{Outcomes: []string{org.OutcomeDuplicate}, AfterLine: 9})
	if len(dups) != 1 || dups[0].Line != 15 {
		t.Errorf("filtered page after line 9: %+v", dups)
	}
}

func TestImportBadFilesKeepNothing(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name, csv string
		rows      int
		code      string
	}{
		{"empty", "", 0, "empty"},
		{"headerless", "ann@x.test,Ann\n", 0, "headerless"},
		{"not text", "PK\x03\x04\x14\x00\x06\x00binary", 0, "not_text"},
		{"too many rows", "email\na@x.test\nb@x.test\nc@x.test\n", 2, org.CodeTooManyRows},
	} {
		_, err := f.svc.PreviewImport(f.ctx, f.owner, strings.NewReader(tc.csv), org.ImportOptions{Limits: limits(tc.rows, 0)})
		if e, ok := org.AsError(err); !ok || e.Code != tc.code || e.Message == "" {
			t.Errorf("%s: %v, want code %s", tc.name, err, tc.code)
		}
	}
	big := "email\n" + strings.Repeat("someone@example.com\n", 100)
	_, err := f.svc.PreviewImport(f.ctx, f.owner, strings.NewReader(big), org.ImportOptions{Limits: limits(0, 500)})
	if codeOf(err) != org.CodeFileTooLarge {
		t.Errorf("large file: %v", err)
	}
	if n := f.count(`SELECT count(*) FROM imports`) + f.count(`SELECT count(*) FROM import_rows`); n != 0 {
		t.Errorf("%d import rows were kept of files that could not be read", n)
	}
	// A member without the invite permission cannot import.
	memberRole, _ := store.GetRoleByKey(f.ctx, f.db.R, f.org.ID, org.RoleMember)
	m := org.Actor{Kind: "user", OrgID: f.org.ID, Role: memberRole}
	if _, err := f.svc.PreviewImport(f.ctx, m, strings.NewReader("email\na@x.test\n"), org.ImportOptions{}); codeOf(err) != org.CodeForbidden {
		t.Errorf("a member imported: %v", err)
	}
}

func TestImportCreateTeamsAndRequiredTeam(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.UpdateSettings(f.ctx, f.owner, org.SettingsPatch{RequireTeam: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	csv := "email,team\na@x.test,Design|  Research \nb@x.test,\nc@x.test,design\n"
	p := f.preview(csv, org.ImportOptions{CreateTeams: true})
	rows := f.rows(p.Import.ID)
	if rows[2].Outcome != org.OutcomeInvite || rows[2].Message != `will create the teams "Design", "Research"` ||
		rows[3].Outcome != org.OutcomeTeamRequired || rows[4].Outcome != org.OutcomeInvite {
		t.Fatalf("rows: %+v", rows)
	}
	if got := p.Import.Summary.TeamsToCreate; len(got) != 2 || got[0] != "Design" || got[1] != "Research" {
		t.Fatalf("teams to create: %v", got)
	}
	im, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, org.CommitOptions{Notify: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Summary.TeamsCreated) != 2 || f.count(`SELECT count(*) FROM teams`) != 2 {
		t.Fatalf("teams created: %v", im.Summary.TeamsCreated)
	}
	c := f.rows(p.Import.ID)[4]
	if c.Outcome != org.OutcomeInvited || f.count(`SELECT count(*) FROM invitation_teams it JOIN teams t ON t.id = it.team_id
 WHERE it.invitation_id = ? AND t.name = 'Design'`, c.InvitationID) != 1 {
		t.Fatalf("c@x.test is not invited into Design: %+v", c)
	}
	// Without the option the same file reports the unknown teams.
	p2 := f.preview("email,team\nd@x.test,Ops\n", org.ImportOptions{})
	if r := f.rows(p2.Import.ID)[2]; r.Outcome != org.OutcomeUnknownTeam {
		t.Fatalf("unknown team without create: %+v", r)
	}
}

func TestImportCancel(t *testing.T) {
	f := newFixture(t)
	p := f.preview("email\na@x.test\n", org.ImportOptions{})
	im, err := f.svc.CancelImport(f.ctx, f.owner, p.Import.ID)
	if err != nil || im.Status != org.ImportStatusCancelled {
		t.Fatalf("cancel: %s %v", im.Status, err)
	}
	if _, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, org.CommitOptions{}); codeOf(err) != org.CodeConflict {
		t.Fatalf("commit after cancel: %v", err)
	}
	if _, err := f.svc.CancelImport(f.ctx, f.owner, p.Import.ID); codeOf(err) != org.CodeConflict {
		t.Fatalf("cancel twice: %v", err)
	}
	other, _ := f.svc.CreateOrg(f.ctx, org.SystemActor("cli", "t", ""), "other", "Other")
	if _, err := f.svc.Import(f.ctx, org.SystemActor("cli", "t", other.ID), p.Import.ID); codeOf(err) != org.CodeNotFound {
		t.Fatalf("another organization read the import: %v", err)
	}
	list, err := f.svc.ListImports(f.ctx, f.owner, store.Page{})
	if err != nil || len(list) != 1 || list[0].CreatorName != "Alice" || list[0].Summary.Rows != 1 {
		t.Fatalf("history: %+v %v", list, err)
	}
}

func TestImportRowsGiveResources(t *testing.T) {
	f := newFixture(t)
	course, err := f.svc.CreateResource(f.ctx, f.owner, "Course", "https://learn.example/c", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	p := f.preview("email,resources\nr1@x.test,course\nr2@x.test,Nope\n", org.ImportOptions{Filename: "r.csv"})
	rows := f.rows(p.Import.ID)
	if rows[2].Outcome != org.OutcomeInvite || len(rows[2].Resources) != 1 {
		t.Fatalf("row 2: %+v", rows[2])
	}
	if rows[3].Outcome != org.OutcomeUnknownResource || !strings.Contains(rows[3].Message, `"Nope"`) {
		t.Fatalf("row 3: %+v", rows[3])
	}
	if _, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, org.CommitOptions{Notify: false}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := f.db.R.QueryRow(`SELECT count(*) FROM invitation_resources WHERE resource_id = ?`, course.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("invitation resources: %d %v", n, err)
	}
}

// TestImportReportNameIsHarmless: the report's download name, made from the uploaded file's
// name, holds only characters a Content-Disposition header can carry as they are, whichever
// transport sends it.
func TestImportReportNameIsHarmless(t *testing.T) {
	f := newFixture(t)
	p, err := f.svc.PreviewImport(f.ctx, f.owner, strings.NewReader("email\na@x.test\n"),
		org.ImportOptions{Filename: `x"; filename*=UTF-8''report.html; a="` + "\u202e.csv"})
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.svc.ImportReport(f.ctx, f.owner, p.Import.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range e.Filename {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			t.Fatalf("the download name %q holds %q", e.Filename, r)
		}
	}
	if !strings.HasSuffix(e.Filename, ".report.csv") {
		t.Fatalf("download name %q", e.Filename)
	}
}

// TestImportIntoAFullOrganization: when no seat is free before the file, every row says so in
// those words, not that earlier rows took the free ones.
func TestImportIntoAFullOrganization(t *testing.T) {
	f := newFixture(t)
	one := int64(1) // Alice, the owner, holds it
	if _, err := f.svc.UpdateSettings(f.ctx, f.owner, org.SettingsPatch{SeatLimitSet: true, SeatLimit: &one}); err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.PreviewImport(f.ctx, f.owner, strings.NewReader("email\na@x.test\nb@x.test\n"), org.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Rows {
		if r.Outcome != org.OutcomeSeatLimit || r.Message != "Acme has used all 1 of its seats; free a seat or raise the limit" {
			t.Fatalf("line %d: %s %q", r.Line, r.Outcome, r.Message)
		}
	}
}

// TestImportCorrectedRowCounts: a row refused for its team does not make a corrected row for
// the same address below it a duplicate, and a member's row says they are a member before
// what is wrong with its team.
func TestImportCorrectedRowCounts(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.CreateTeam(f.ctx, f.owner, "Sales"); err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.PreviewImport(f.ctx, f.owner, strings.NewReader("email,team\nd1@x.test,Nope\nd1@x.test,Sales\nalice@acme.test,Nope\n"),
		org.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 3 || p.Rows[0].Outcome != org.OutcomeUnknownTeam || p.Rows[1].Outcome != org.OutcomeInvite ||
		p.Rows[2].Outcome != org.OutcomeAlreadyMember {
		t.Fatalf("rows: %+v", p.Rows)
	}
}
