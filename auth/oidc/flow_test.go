package oidc_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/auth/oidc"
	"github.com/lobby/lobby/auth/oidc/oidctest"
)

func TestStateIsUsedOnceByTheSameBrowser(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u, err := e.flows.Start(ctx, e.p, e.binding, oidc.Flow{Purpose: "invite", Invite: "lbi_secret"})
	if err != nil {
		t.Fatal(err)
	}
	q := e.signIn(u, "allow")
	state := q.Get("state")
	if _, err := e.flows.Finish(ctx, "test", state, oidc.NewBinding()); !errors.Is(err, oidc.ErrOtherBrowser) {
		t.Fatalf("another browser's cookie: err = %v", err)
	}
	if _, err := e.flows.Finish(ctx, "other", state, e.binding); !errors.Is(err, oidc.ErrNoFlow) {
		t.Fatalf("another provider's callback: err = %v", err)
	}
	wrong := state[:42] + "A"
	if wrong == state {
		wrong = state[:42] + "B"
	}
	if _, err := e.flows.Finish(ctx, "test", wrong, e.binding); !errors.Is(err, oidc.ErrNoFlow) {
		t.Fatalf("a wrong state: err = %v", err)
	}
	f, err := e.flows.Finish(ctx, "test", state, e.binding)
	if err != nil || f.Invite != "lbi_secret" {
		t.Fatalf("the right browser: %+v %v", f, err)
	}
	if _, err := e.flows.Finish(ctx, "test", state, e.binding); !errors.Is(err, oidc.ErrFlowUsed) {
		t.Fatalf("replayed state: err = %v", err)
	}
}

func TestFlowExpires(t *testing.T) {
	t.Parallel()
	now := time.Now()
	db := storetest.Open(t)
	o := oidctest.New(t)
	reg := oidc.NewRegistry([]config.OIDCProvider{{ID: "test", Issuer: o.Issuer, ClientID: "c"}}, "http://lobby.test", oidc.Options{})
	p, _ := reg.Get("test")
	clock := func() time.Time { return now }
	fs := oidc.NewFlows(db, func() time.Time { return clock() })
	b := oidc.NewBinding()
	u, err := fs.Start(context.Background(), p, b, oidc.Flow{Purpose: "login"})
	if err != nil {
		t.Fatal(err)
	}
	pu, _ := url.Parse(u)
	now = now.Add(oidc.FlowTTL + time.Second)
	if _, err := fs.Finish(context.Background(), "test", pu.Query().Get("state"), b); !errors.Is(err, oidc.ErrFlowUsed) {
		t.Fatalf("expired flow: err = %v", err)
	}
}

func TestProviderDownAtStartThenBack(t *testing.T) {
	e := newEnv(t)
	e.op.SetDown(true)
	_, err := e.flows.Start(context.Background(), e.p, e.binding, oidc.Flow{Purpose: "login"})
	if pe, ok := oidc.AsError(err); !ok || pe.Kind != oidc.KindUnavailable {
		t.Fatalf("down provider: err = %v", err)
	}
	e.op.SetDown(false)
	if _, err := e.run(); err != nil {
		t.Fatalf("after the provider came back: %v", err)
	}
}

func TestUnreachableIssuer(t *testing.T) {
	t.Parallel()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	reg := oidc.NewRegistry([]config.OIDCProvider{{ID: "gone", Issuer: "http://" + addr, ClientID: "c"}}, "http://lobby.test", oidc.Options{})
	p, _ := reg.Get("gone")
	_, err := oidc.NewFlows(storetest.Open(t), nil).Start(context.Background(), p, oidc.NewBinding(), oidc.Flow{})
	if pe, ok := oidc.AsError(err); !ok || pe.Kind != oidc.KindUnavailable {
		t.Fatalf("err = %v", err)
	}
}

func TestPendingLink(t *testing.T) {
	t.Parallel()
	fs := oidc.NewFlows(storetest.Open(t), nil)
	ctx := context.Background()
	b := oidc.NewBinding()
	id, err := fs.SavePending(ctx, b, oidc.Pending{Provider: "test", Identity: oidc.Identity{Issuer: "i", Subject: "s", Email: "a@b.co"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Pending(ctx, id, oidc.NewBinding()); !errors.Is(err, oidc.ErrOtherBrowser) {
		t.Fatalf("other browser: %v", err)
	}
	for range 2 { // reading does not use it up
		if p, err := fs.Pending(ctx, id, b); err != nil || p.Identity.Subject != "s" {
			t.Fatalf("pending = %+v %v", p, err)
		}
	}
	if err := fs.UsePending(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Pending(ctx, id, b); !errors.Is(err, oidc.ErrFlowUsed) {
		t.Fatalf("used pending: %v", err)
	}
	if err := fs.UsePending(ctx, id); !errors.Is(err, oidc.ErrFlowUsed) {
		t.Fatalf("used twice: %v", err)
	}
}
