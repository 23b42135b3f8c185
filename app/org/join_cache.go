package org

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/lobby/lobby/app/store"
)

// joinPageTTL is how long a view of the join page may reuse the organization it read. Every
// change of settings in this process drops the cache at once; another Lobby process sharing
// the database sees a change within this time. Requests and confirmations always read afresh.
const joinPageTTL = 2 * time.Second

type joinCache struct {
	mu      sync.Mutex
	gen     uint64 // bumped by every settings change
	entries map[string]joinEntry
}

type joinEntry struct {
	org store.Org
	err error
	at  time.Time
	gen uint64
}

// invalidate drops every cached join page, after a settings change.
func (c *joinCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.entries = nil
	c.mu.Unlock()
}

// JoinPageView is JoinPage for showing the page: it may reuse what it read in the last
// couple of seconds, so a shared link under heavy traffic costs one query per slug and second
// instead of one per view.
func (s *Service) JoinPageView(ctx context.Context, slug string) (store.Org, error) {
	slug = strings.ToLower(slug)
	now := time.Now()
	c := &s.joins
	c.mu.Lock()
	e, ok := c.entries[slug]
	gen := c.gen
	c.mu.Unlock()
	if ok && e.gen == gen && now.Sub(e.at) < joinPageTTL {
		if e.err != nil {
			return e.org, e.err
		}
		return e.org, s.joinActive(e.org) // the end date may pass while cached
	}
	o, err := store.GetOrgByJoinSlug(ctx, s.db.R, slug)
	if err != nil && err != store.ErrNotFound {
		return o, err
	}
	var cached error
	if err != nil {
		cached = errf(CodeJoinInactive, "", "this join link is not active")
	}
	c.mu.Lock()
	if c.gen == gen {
		if c.entries == nil || len(c.entries) > 1000 {
			c.entries = map[string]joinEntry{}
		}
		c.entries[slug] = joinEntry{org: o, err: cached, at: now, gen: gen}
	}
	c.mu.Unlock()
	if cached != nil {
		return o, cached
	}
	return o, s.joinActive(o)
}
