package scim_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestPaging walks 250 provisioned users (and the owner) 100 at a time, as Okta does.
func TestPaging(t *testing.T) {
	e := newEnv(t)
	for i := range 250 {
		e.createUser(fmt.Sprintf("user%03d@acme.test", i), fmt.Sprintf("ext-%03d", i))
	}
	seen := map[string]bool{}
	for start := 1; start <= 251; start += 100 {
		r := e.call("GET", fmt.Sprintf("/Users?startIndex=%d&count=100", start), "").must(t, 200)
		want := min(100, 251-start+1)
		l := r.at("Resources").([]any)
		if r.num("totalResults") != 251 || r.num("startIndex") != start || r.num("itemsPerPage") != want || len(l) != want {
			t.Fatalf("page at %d: total %d, itemsPerPage %d, %d resources", start, r.num("totalResults"), r.num("itemsPerPage"), len(l))
		}
		for _, res := range l {
			seen[res.(map[string]any)["id"].(string)] = true
		}
	}
	if len(seen) != 251 {
		t.Fatalf("pages held %d distinct users, want 251", len(seen))
	}
	// Past the end: an empty page with the right total; count=0 only counts.
	r := e.call("GET", "/Users?startIndex=400&count=100", "").must(t, 200)
	if r.num("totalResults") != 251 || len(r.at("Resources").([]any)) != 0 {
		t.Fatalf("past the end: %s", r.raw)
	}
	r = e.call("GET", "/Users?count=0", "").must(t, 200)
	if r.num("totalResults") != 251 || r.num("itemsPerPage") != 0 {
		t.Fatalf("count=0: %s", r.raw)
	}
	// A filter counts only what matches, in SQL.
	r = e.call("GET", filterPath("/Users", `userName sw "user1"`, "count=10"), "").must(t, 200)
	if r.num("totalResults") != 100 || r.num("itemsPerPage") != 10 {
		t.Fatalf("filtered page: total %d, itemsPerPage %d", r.num("totalResults"), r.num("itemsPerPage"))
	}
}

// TestFilters checks each operator on each filterable attribute against the members it
// should find.
func TestFilters(t *testing.T) {
	e := newEnv(t)
	ann := e.createUser("ann@alpha.test", "EXT-Ann")
	e.clock.Add(time.Hour)
	bob := e.createUser("bob@beta.test", "ext-bob")
	e.clock.Add(time.Hour)
	cy := e.call("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"cy@alpha.test",
		"displayName":"Cyrus Smith","active":false,"emails":[{"value":"cy@home.test","type":"home"},{"value":"Cy@Alpha.test","type":"work","primary":true}]}`).must(t, 201).str("id")
	var alice string
	if err := e.db.R.QueryRowContext(e.ctx, `SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'alice@acme.test'`).Scan(&alice); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) // when ann (and alice) were made
	at := func(d time.Duration) string { return t0.Add(d).Format(time.RFC3339) }
	cases := []struct {
		filter string
		want   []string
	}{
		{`userName eq "ANN@alpha.test"`, []string{ann}},
		{`userName ne "ann@alpha.test"`, []string{alice, bob, cy}},
		{`userName co "@alpha"`, []string{ann, cy}},
		{`userName sw "B"`, []string{bob}},
		{`userName ew ".test"`, []string{alice, ann, bob, cy}},
		{`userName gt "bob@beta.test"`, []string{cy}},
		{`externalId eq "ext-bob"`, []string{bob}},
		{`externalId eq "ext-ann"`, nil}, // externalId is case-exact
		{`externalId pr`, []string{ann, bob}},
		{`not (externalId pr)`, []string{alice, cy}},
		{`displayName co "smith"`, []string{cy}},
		{`displayName eq "Alice"`, []string{alice}},
		{`active eq false`, []string{cy}},
		{`active eq true and userName co "alpha"`, []string{ann}},
		{`userName eq "ann@alpha.test" or userName eq "bob@beta.test"`, []string{ann, bob}},
		{`emails.value eq "cy@home.test"`, []string{cy}},
		{`emails[type eq "work" and value co "alpha"]`, []string{ann, cy}},
		{`emails[type eq "work"].value eq "CY@alpha.test"`, []string{cy}},
		{`emails[type eq "home"].value eq "cy@alpha.test"`, nil},
		// A member with no emails of their own is shown with their address as the work email,
		// and filters find what is shown (Entra looks people up this way before it creates).
		{`emails[type eq "work"].value eq "Alice@acme.test"`, []string{alice}},
		{`emails.value eq "ann@alpha.test"`, []string{ann}},
		{`emails[primary eq true].value eq "bob@beta.test"`, []string{bob}},
		{`emails.value eq "cy@alpha.test"`, []string{cy}},
		{`emails pr`, []string{alice, ann, bob, cy}},
		{`meta.lastModified gt "` + at(30*time.Minute) + `"`, []string{bob, cy}},
		{`meta.lastModified ge "` + at(time.Hour) + `"`, []string{bob, cy}},
		{`meta.lastModified lt "` + at(time.Hour) + `"`, []string{alice, ann}},
		{`meta.lastModified le "` + at(time.Hour) + `" and meta.created ge "` + at(time.Hour) + `"`, []string{bob}},
		{`meta.created eq "` + at(2*time.Hour) + `"`, []string{cy}},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob@beta.test"`, []string{bob}},
	}
	for _, c := range cases {
		r := e.call("GET", filterPath("/Users", c.filter), "")
		if r.status != 200 {
			t.Errorf("%s: %d %s", c.filter, r.status, r.raw)
			continue
		}
		var got []string
		for _, res := range r.at("Resources").([]any) {
			got = append(got, res.(map[string]any)["id"].(string))
		}
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) || r.num("totalResults") != len(want) {
			t.Errorf("%s: got %d results %v, want %v", c.filter, r.num("totalResults"), got, want)
		}
	}
	for _, bad := range []string{`password eq "x"`, `title eq "x"`, `userName eq`, `emails[display eq "x"]`, `meta.lastModified gt "yesterday"`} {
		r := e.call("GET", filterPath("/Users", bad), "")
		if r.status != 400 || r.str("scimType") != "invalidFilter" {
			t.Errorf("%s: %d %s", bad, r.status, r.raw)
		}
	}
	if r := e.call("GET", filterPath("/Users", `password eq "x"`), ""); !strings.Contains(r.str("detail"), "password") {
		t.Errorf("password filter refusal does not say why: %s", r.raw)
	}
}

// TestSortAndSelect checks sortBy/sortOrder and attributes/excludedAttributes, on GET and on
// POST /.search.
func TestSortAndSelect(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"carol", "bob", "dave"} {
		e.createUser(n+"@acme.test", "x-"+n)
	}
	names := func(r resp) string {
		var l []string
		for _, res := range r.at("Resources").([]any) {
			l = append(l, strings.Split(res.(map[string]any)["userName"].(string), "@")[0])
		}
		return strings.Join(l, ",")
	}
	if got := names(e.call("GET", "/Users?sortBy=userName", "").must(t, 200)); got != "alice,bob,carol,dave" {
		t.Errorf("ascending: %s", got)
	}
	if got := names(e.call("GET", "/Users?sortBy=userName&sortOrder=descending", "").must(t, 200)); got != "dave,carol,bob,alice" {
		t.Errorf("descending: %s", got)
	}
	if r := e.call("GET", "/Users?sortBy=password", ""); r.status != 400 {
		t.Errorf("sort by password: %d", r.status)
	}
	r := e.call("GET", "/Users?attributes=userName,name.givenName&"+url.Values{"filter": {`userName eq "bob@acme.test"`}}.Encode(), "").must(t, 200)
	res := r.at("Resources.0").(map[string]any)
	if len(res) != 4 || res["userName"] != "bob@acme.test" || r.str("Resources.0.name.givenName") != "Test" ||
		r.str("Resources.0.name.familyName") != "" || res["id"] == nil || res["schemas"] == nil {
		t.Errorf("attributes: %s", r.raw)
	}
	r = e.call("GET", "/Users?excludedAttributes=emails,name.familyName,groups", "").must(t, 200)
	if strings.Contains(r.raw, `"emails"`) || strings.Contains(r.raw, "familyName") || strings.Contains(r.raw, `"groups"`) ||
		!strings.Contains(r.raw, "givenName") {
		t.Errorf("excludedAttributes: %s", r.raw)
	}
	// POST /Users/.search is the same query in a body.
	r = e.call("POST", "/Users/.search", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
		"filter":"userName sw \"c\" or userName sw \"d\"","sortBy":"userName","sortOrder":"descending","attributes":["userName"],
		"startIndex":1,"count":1}`).must(t, 200)
	if r.num("totalResults") != 2 || names(r) != "dave" || r.at("Resources.0.emails") != nil {
		t.Errorf("search: %s", r.raw)
	}
	// POST /.search at the root covers users and groups.
	if _, err := e.svc.SCIMCreateGroup(e.ctx, e.admin, "Crew", "", nil); err != nil {
		t.Fatal(err)
	}
	r = e.call("POST", "/.search", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
		"filter":"displayName eq \"crew\" or externalId eq \"x-bob\""}`).must(t, 200)
	if r.num("totalResults") != 2 || r.str("Resources.0.meta.resourceType") != "User" || r.str("Resources.1.meta.resourceType") != "Group" {
		t.Errorf("root search: %s", r.raw)
	}
	r = e.call("POST", "/.search", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"startIndex":4,"count":2}`).must(t, 200)
	if r.num("totalResults") != 5 || r.num("itemsPerPage") != 2 || r.str("Resources.1.displayName") != "Crew" {
		t.Errorf("root paging across types: %s", r.raw)
	}
	if r := e.call("POST", "/Users/.search", `{"filter":"userName pr"}`); r.status != 400 {
		t.Errorf("search without its schema: %d %s", r.status, r.raw)
	}
}

// TestUserGroupsAttribute checks a user's groups on every path that reads users: by id, the
// userName lookup and a list page. They are the SCIM groups only, by name; a team an admin
// made in the console is not the identity provider's to see.
func TestUserGroupsAttribute(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("grouped@acme.test", "g1")
	var ids []string
	for _, name := range []string{"Zeta", "alpha"} {
		r := e.call("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"`+name+
			`","members":[{"value":"`+u+`"}]}`).must(t, 201)
		ids = append(ids, r.str("id"))
	}
	team, err := e.svc.CreateTeam(e.ctx, e.admin, "Beta")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetTeamMember(e.ctx, e.admin, team.ID, u, true); err != nil {
		t.Fatal(err)
	}
	entry := func(id, name string) string {
		return fmt.Sprintf("map[$ref:https://lobby.example/scim/v2/Groups/%s display:%s value:%s]", id, name, id)
	}
	want := "[" + entry(ids[1], "alpha") + " " + entry(ids[0], "Zeta") + "]"
	for _, path := range []string{"/Users/" + u, filterPath("/Users", `userName eq "grouped@acme.test"`),
		filterPath("/Users", `userName eq "grouped@acme.test"`, "startIndex=1")} {
		r := e.call("GET", path, "").must(t, 200)
		groups := r.at("groups")
		if strings.HasPrefix(path, "/Users?") {
			groups = r.at("Resources.0.groups")
		}
		if got := fmt.Sprint(groups); got != want {
			t.Errorf("GET %s: groups %s, want %s", path, got, want)
		}
	}
}
