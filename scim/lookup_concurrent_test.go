package scim_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// The lookup writes its answers in pooled buffers: lookups at once must each get their own
// person, whole. (Handing the buffer itself to the response, instead of a copy, sends one
// lookup's answer, or a mix, to another once the buffer is reused; the race detector, which
// make test runs, caught that in each of three runs.)
func TestConcurrentLookupsEachGetTheirOwnAnswer(t *testing.T) {
	e := newEnv(t)
	var names []string
	for i := range 12 {
		// Names of different lengths, so that answers of different sizes share the buffers.
		name := fmt.Sprintf("p%d-%s@acme.test", i, strings.Repeat("x", i*5))
		e.createUser(name, fmt.Sprintf("ext-%d", i))
		names = append(names, name)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 40 {
				name := names[(g*7+i)%len(names)]
				req, _ := http.NewRequest("GET", e.srv.URL+"/scim/v2/Users?filter="+url.QueryEscape(`userName eq "`+name+`"`), nil)
				req.Header.Set("Authorization", "Bearer "+e.token)
				res, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || !strings.Contains(string(body), `"userName":"`+name+`"`) ||
					!strings.Contains(string(body), `"totalResults":1`) || !strings.HasSuffix(string(body), "}") {
					t.Errorf("the lookup of %s answered %d: %s", name, res.StatusCode, body)
					return
				}
			}
		})
	}
	wg.Wait()
}
