package main

import (
	"context"
	"time"

	"github.com/valyala/fasthttp"
)

// newLoad is the client of every request the benchmarks time: fasthttp's, kept alive, with
// up to 512 connections per host, no redirects followed and no compression asked for. On this
// 2-core machine the clients share the cores with the Lobby they measure, so they are made as
// light as a Go client can be, as a load generator such as wrk is: Go's net/http client (two
// goroutines per connection and a header map per request) took a third of the CPU of the
// SCIM lookups' rounds, time the server then did not have. Pages that need cookies and
// redirects use the lobby's net/http client instead.
func newLoad() *fasthttp.Client {
	return &fasthttp.Client{MaxConnsPerHost: 512, MaxIdleConnDuration: 90 * time.Second,
		ReadTimeout: time.Minute, WriteTimeout: time.Minute, NoDefaultUserAgentHeader: true}
}

// fetch sends one request with the given headers (pairs of name and value) and returns the
// status and the whole body. The request gives up at ctx's deadline, or after a minute; a
// ctx cancelled meanwhile (the bench stopped with ^C) does not cut it short.
func fetch(ctx context.Context, c *fasthttp.Client, method, url, body string, headers ...string) (int, []byte, error) {
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(url)
	req.Header.SetMethod(method)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if body != "" {
		req.SetBodyString(body)
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(time.Minute)
	}
	if err := c.DoDeadline(req, resp, deadline); err != nil {
		return 0, nil, err
	}
	return resp.StatusCode(), append([]byte(nil), resp.Body()...), nil
}
