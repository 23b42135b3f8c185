package scim_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/auth/password"
	"github.com/lobby/lobby/scim"
)

// seedMembers inserts n members with SCIM attributes straight into the database (only this
// benchmark writes SQL, to build a large organization in a second).
func seedMembers(b *testing.B, db *store.DB, orgID string, n int) {
	b.Helper()
	ctx := context.Background()
	var roleID string
	if err := db.R.QueryRowContext(ctx, `SELECT id FROM roles WHERE org_id = ? AND key = 'member'`, orgID).Scan(&roleID); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UnixMilli()
	err := db.Tx(ctx, func(q store.Q) error {
		for start := 0; start < n; start += 200 {
			var users, members []string
			var uargs, margs []any
			for i := start; i < min(start+200, n); i++ {
				uid, mid := store.NewID(), store.NewID()
				email := fmt.Sprintf("person%06d@bench.test", i)
				users = append(users, "(?, ?, ?, ?, ?)")
				uargs = append(uargs, uid, email, email, fmt.Sprintf("Person %d", i), now)
				members = append(members, "(?, ?, ?, ?, 'active', 'scim', ?, ?, ?, ?)")
				margs = append(margs, mid, orgID, uid, roleID, fmt.Sprintf("ext-%d", i),
					`{"emails":[{"value":"`+email+`","type":"work","primary":true}]}`, now, now)
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO users (id, email, email_norm, name, created_at) VALUES `+strings.Join(users, ", "), uargs...); err != nil {
				return err
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO memberships (id, org_id, user_id, role_id, status, source, external_id, attributes,
 joined_at, updated_at) VALUES `+strings.Join(members, ", "), margs...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// benchOrg is an organization of SCIM members served over HTTP, with a SCIM token.
type benchOrg struct {
	db         *store.DB
	svc        *org.Service
	org        store.Org
	url, token string // url ends in /scim/v2
}

// newBenchOrg serves an organization of n SCIM members (seedMembers).
func newBenchOrg(b *testing.B, n int) benchOrg {
	ctx := context.Background()
	db := storetest.Open(b)
	svc := org.New(db, org.Options{BaseURL: "https://lobby.example", Hasher: password.New(1)})
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "bench", ""), "bench", "Bench")
	if err != nil {
		b.Fatal(err)
	}
	seedMembers(b, db, o.ID, n)
	tok, err := svc.CreateToken(ctx, org.SystemActor("cli", "bench", o.ID), "scim", "bench")
	if err != nil {
		b.Fatal(err)
	}
	srv := serve(b, scim.Deps{Org: svc, BaseURL: "https://lobby.example",
		Policy: org.SCIMPolicy{Role: "member", MaxRole: "member", DeleteMode: "delete"}})
	return benchOrg{db: db, svc: svc, org: o, url: srv.URL + "/scim/v2", token: tok.Plain}
}

// BenchmarkFilterUserName measures Okta's and Entra's most frequent request,
// GET /Users?filter=userName eq "…", over HTTP in an organization of 10,000 members.
func BenchmarkFilterUserName(b *testing.B) {
	o := newBenchOrg(b, 10_000)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			f := url.QueryEscape(fmt.Sprintf(`userName eq "Person%06d@bench.test"`, (i*7919)%10_000))
			if body := o.call(b, client, "GET", "/Users?filter="+f, "", 200); !strings.Contains(body, `"totalResults":1`) {
				b.Fatalf("lookup: %s", body)
			}
		}
	})
}

// bigGroup is a served organization of 10,001 SCIM members, 10,000 of them in the group
// "Everyone"; the last member is in no group.
type bigGroup struct {
	benchOrg
	group, outsider string
}

func newBigGroup(b *testing.B) bigGroup {
	ctx := context.Background()
	o := newBenchOrg(b, 10_001)
	var ids []string
	rows, err := o.db.R.QueryContext(ctx, `SELECT id FROM memberships WHERE org_id = ? AND source = 'scim' ORDER BY id`, o.org.ID)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	g, err := o.svc.SCIMCreateGroup(ctx, org.SystemActor("scim", "bench", o.org.ID), "Everyone", "", ids[:10_000])
	if err != nil {
		b.Fatal(err)
	}
	return bigGroup{benchOrg: o, group: g.ID, outsider: ids[10_000]}
}

// call sends one request with the organization's token, checks its status and returns the
// answer's body.
func (o benchOrg) call(b *testing.B, client *http.Client, method, path, body string, status int) string {
	req, _ := http.NewRequest(method, o.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+o.token)
	req.Header.Set("Content-Type", "application/scim+json")
	res, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != status {
		b.Fatalf("%s %s: %d: %.300s", method, path, res.StatusCode, out)
	}
	return string(out)
}

// BenchmarkGroupPatchOneMember measures Entra's way of keeping a large group in step: one
// PATCH per member added, then one per member removed, on a group of 10,000 members.
func BenchmarkGroupPatchOneMember(b *testing.B) {
	g, client := newBigGroup(b), &http.Client{}
	patch := func(op string) string {
		return `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"` + op +
			`","path":"members","value":[{"value":"` + g.outsider + `"}]}]}`
	}
	b.ResetTimer()
	for b.Loop() {
		g.call(b, client, "PATCH", "/Groups/"+g.group, patch("Add"), 204)
		g.call(b, client, "PATCH", "/Groups/"+g.group, patch("Remove"), 204)
	}
}

// BenchmarkGroupLookupWithoutMembers measures Entra's lookup of a group before it changes it,
// by displayName with excludedAttributes=members, on a group of 10,000 members.
func BenchmarkGroupLookupWithoutMembers(b *testing.B) {
	g, client := newBigGroup(b), &http.Client{}
	path := "/Groups?excludedAttributes=members&filter=" + url.QueryEscape(`displayName eq "Everyone"`)
	b.ResetTimer()
	for b.Loop() {
		g.call(b, client, "GET", path, "", 200)
	}
}

// BenchmarkUsersDeepPage measures a provider paging through every user: the last page of 100
// of an organization of 100,000 members (GET /Users?startIndex=99901&count=100).
func BenchmarkUsersDeepPage(b *testing.B) {
	o := newBenchOrg(b, 100_000)
	client := &http.Client{}
	b.ResetTimer()
	for b.Loop() {
		body := o.call(b, client, "GET", "/Users?startIndex=99901&count=100", "", 200)
		if !strings.Contains(body, `"totalResults":100000`) || strings.Count(body, `"userName"`) != 100 {
			b.Fatalf("the last page: %.300s", body)
		}
	}
}
