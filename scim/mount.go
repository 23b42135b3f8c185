package scim

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/elimity-com/scim/schema"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"github.com/lobby/lobby/app/org"
)

// Deps is what the SCIM endpoint needs from the rest of Lobby.
type Deps struct {
	Org *org.Service
	Log *slog.Logger
	// Policy is what provisioning may do: the [scim] config table.
	Policy org.SCIMPolicy
	// BaseURL is the public address resource locations are built from.
	BaseURL string
	// MaxBody is the largest request body accepted, in bytes (1 MiB when 0).
	MaxBody int64
}

// Mount serves SCIM under /scim on f: the library sees paths without the /scim prefix.
// The most frequent request, a lookup by one equality, is answered in Fiber (see lookup).
func Mount(f *fiber.App, d Deps) {
	h, full := newHandler(d)
	f.Get("/scim/v2/Users", h.lookup)
	f.All("/scim/*", adaptor.HTTPHandler(http.StripPrefix("/scim", detached(full))))
}

// detached gives a request a context that keeps the values of fasthttp's RequestCtx, which the
// adaptor makes the request's context, but not its cancellation. database/sql watches a
// query's context from another goroutine, and reading RequestCtx.Done there races with the
// server's shutdown (valyala/fasthttp#2402; the race detector reports it). A RequestCtx is
// only ever cancelled by that shutdown, so nothing is lost.
func detached(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithoutCancel(r.Context())))
	})
}

var allowStrings sync.Once

// newHandler builds the endpoint's handler and the full net/http chain over the library.
func newHandler(d Deps) (*handler, http.Handler) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.MaxBody <= 0 {
		d.MaxBody = 1 << 20
	}
	// Entra sends booleans as strings ("False"); the library refuses them unless told.
	allowStrings.Do(func() { schema.SetAllowStringValues(true) })
	h := &handler{org: d.Org, log: d.Log, policy: d.Policy, base: strings.TrimRight(d.BaseURL, "/") + "/scim/v2", maxBody: d.MaxBody}
	if u, err := url.Parse(h.base); err == nil {
		h.baseURL = u
	}
	srv, err := h.server()
	if err != nil {
		// The server's arguments are constants of this package: failing here is a programming error.
		panic(err)
	}
	h.lib = srv
	return h, h.authenticate(h.limitBody(h.rewrite(h.explain(h.shape(srv)))))
}

// handler holds the SCIM endpoint's dependencies.
type handler struct {
	org     *org.Service
	log     *slog.Logger
	policy  org.SCIMPolicy
	base    string
	baseURL *url.URL // base parsed, nil if it does not parse
	maxBody int64
	lib     http.Handler
}
