package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// syncLatencies are the latencies of each kind of request of an initial sync.
type syncLatencies struct {
	mu                                     sync.Mutex
	userGet, userPost, groupGet, groupPost latencies
	patch                                  latencies
}

// timed sends one SCIM request, checks its answer and records its latency in *into.
func (s *syncLatencies) timed(ctx context.Context, l *lobby, tok, method, path, body string, status int, want string,
	into *latencies) ([]byte, error) {
	t := time.Now()
	code, b, err := scimCall(ctx, l, tok, method, path, body)
	d := time.Since(t)
	if err := expect(method+" /scim/v2"+path, code, b, err, status, want); err != nil {
		return b, err
	}
	s.mu.Lock()
	*into = append(*into, d)
	s.mu.Unlock()
	return b, nil
}

const (
	coreUser       = "urn:ietf:params:scim:schemas:core:2.0:User"
	enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	coreGroup      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	patchOp        = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
)

// entraUser is the body Entra ID posts to create user i (as in scim/testdata/azuread).
func entraUser(i int) string {
	email := fmt.Sprintf("sync%06d@entra.example", i)
	given, family := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
	b, _ := json.Marshal(map[string]any{"schemas": []string{coreUser, enterpriseUser}, "externalId": externalID(i),
		"userName": email, "active": true, "emails": []map[string]any{{"primary": true, "type": "work", "value": email}},
		"meta": map[string]string{"resourceType": "User"}, "roles": []string{},
		"name": map[string]string{"formatted": given + " " + family, "familyName": family, "givenName": given}})
	return string(b)
}

func scimSync(ctx context.Context, l *lobby, sz sizes, r *result) error {
	tok, err := scimToken(ctx, l)
	if err != nil {
		return err
	}
	var lat syncLatencies
	ids := make([]string, sz.SyncUsers)
	progress("scim: initial sync of %s users from %d clients.", num(float64(sz.SyncUsers)), sz.SyncClients)
	t0, cpu := time.Now(), readSched()
	users := hammer(ctx, sz.SyncClients, sz.SyncUsers, sz.Limit, func(ctx context.Context, i int) error {
		filter := url.QueryEscape(fmt.Sprintf(`userName eq "sync%06d@entra.example"`, i))
		if _, err := lat.timed(ctx, l, tok, "GET", "/Users?filter="+filter, "", http.StatusOK, `"totalResults":0`, &lat.userGet); err != nil {
			return err
		}
		b, err := lat.timed(ctx, l, tok, "POST", "/Users", entraUser(i), http.StatusCreated, "", &lat.userPost)
		if err != nil {
			return err
		}
		var out struct{ ID string }
		if err := json.Unmarshal(b, &out); err != nil || out.ID == "" {
			return fmt.Errorf("POST /scim/v2/Users answered without an id: %.200s", b)
		}
		ids[i] = out.ID
		return nil
	})
	if users.OK != sz.SyncUsers {
		return fmt.Errorf("%d of %d users were created in %s; the first failure: %v", users.OK, sz.SyncUsers, users.Elapsed, users.Err)
	}
	progress("scim: %d groups of %d members.", sz.SyncGroups, sz.GroupSize)
	groups := hammer(ctx, sz.SyncClients, sz.SyncGroups, sz.Limit, func(ctx context.Context, g int) error {
		name := fmt.Sprintf("Sync Group %04d", g)
		filter := url.QueryEscape(`displayName eq "`+name+`"`) + "&excludedAttributes=members"
		if _, err := lat.timed(ctx, l, tok, "GET", "/Groups?filter="+filter, "", http.StatusOK, `"totalResults":0`, &lat.groupGet); err != nil {
			return err
		}
		body, _ := json.Marshal(map[string]any{"schemas": []string{coreGroup}, "externalId": externalID(1_000_000 + g),
			"displayName": name, "meta": map[string]string{"resourceType": "Group"}})
		b, err := lat.timed(ctx, l, tok, "POST", "/Groups", string(body), http.StatusCreated, "", &lat.groupPost)
		if err != nil {
			return err
		}
		var out struct{ ID string }
		if err := json.Unmarshal(b, &out); err != nil || out.ID == "" {
			return fmt.Errorf("POST /scim/v2/Groups answered without an id: %.200s", b)
		}
		var members []map[string]any
		for k := range sz.GroupSize {
			members = append(members, map[string]any{"$ref": nil, "value": ids[(g*sz.GroupSize+k)%len(ids)]})
		}
		patch, _ := json.Marshal(map[string]any{"schemas": []string{patchOp},
			"Operations": []map[string]any{{"op": "Add", "path": "members", "value": members}}})
		_, err = lat.timed(ctx, l, tok, "PATCH", "/Groups/"+out.ID, string(patch), http.StatusNoContent, "", &lat.patch)
		return err
	})
	wall := time.Since(t0)
	cpuUse := cpu.since(wall)
	if groups.OK != sz.SyncGroups {
		return fmt.Errorf("%d of %d groups were made in %s; the first failure: %v", groups.OK, sz.SyncGroups, groups.Elapsed, groups.Err)
	}
	r.target(fmt.Sprintf("Initial sync: %s users, %d groups of %d, whole", num(float64(sz.SyncUsers)), sz.SyncGroups, sz.GroupSize),
		short(wall), "< 20 s", wall < 20*time.Second)
	r.add("Sync: users (lookup and POST each)", fmt.Sprintf("%s, %s users/s", short(users.Elapsed),
		num(float64(sz.SyncUsers)/users.Elapsed.Seconds())))
	r.add("Sync: groups (lookup, POST, PATCH each)", fmt.Sprintf("%s, %s groups/s", short(groups.Elapsed),
		num(float64(sz.SyncGroups)/groups.Elapsed.Seconds())))
	for _, x := range []struct {
		name string
		l    latencies
	}{{"`GET /Users?filter=userName eq` (no match)", lat.userGet}, {"`POST /Users`", lat.userPost},
		{"`GET /Groups?filter=displayName eq` (no match)", lat.groupGet}, {"`POST /Groups` (empty)", lat.groupPost},
		{fmt.Sprintf("`PATCH /Groups/{id}` (add %d members)", sz.GroupSize), lat.patch}} {
		r.add("Sync: "+x.name+", p50 / p99", msf(x.l.pct(50))+" / "+msf(x.l.pct(99)))
	}
	r.add("This process during the sync", cpuUse)
	members, err1 := count(ctx, l.App.DB, `SELECT count(*) FROM memberships WHERE org_id = ? AND source = 'scim'`, l.Org.ID)
	teams, err2 := count(ctx, l.App.DB, `SELECT count(*) FROM teams WHERE org_id = ? AND source = 'scim'`, l.Org.ID)
	links, err3 := count(ctx, l.App.DB, `SELECT count(*) FROM team_members tm JOIN teams t ON t.id = tm.team_id
 WHERE t.org_id = ? AND t.source = 'scim'`, l.Org.ID)
	if err := firstErr(err1, err2, err3); err != nil {
		return err
	}
	r.add("Members / teams / team memberships made", fmt.Sprintf("%s / %s / %s", num(float64(members)), num(float64(teams)),
		num(float64(links))))
	if members != int64(sz.SyncUsers) || teams != int64(sz.SyncGroups) || links != int64(sz.SyncGroups*min(sz.GroupSize, sz.SyncUsers)) {
		return fmt.Errorf("the sync should have made %d members, %d teams and %d team memberships", sz.SyncUsers, sz.SyncGroups,
			sz.SyncGroups*sz.GroupSize)
	}
	return nil
}
