package org

import (
	"sync"
	"time"
)

// tokenTTL is how long Authenticate may reuse what it read about a token: its role, and the
// name and address of the person who made it, which its invitation emails show. Revoking a
// token in this process drops the cache at once; another Lobby process sharing the database
// stops accepting a token it revoked within this time. Unknown tokens are never cached, so a
// token made by another process works at once.
const tokenTTL = 2 * time.Second

// tokenCache keeps recently used tokens by hash. It saves the query that most API and SCIM
// requests start with: an identity provider syncing sends hundreds of requests a second.
type tokenCache struct {
	mu      sync.Mutex
	gen     uint64 // bumped by every revocation
	entries map[string]tokenEntry
}

type tokenEntry struct {
	actor    Actor
	kind     string
	lastUsed int64  // unix ms, 0 if never
	expires  *int64 // unix ms, nil for a token without an expiry
	at       time.Time
	gen      uint64
}

// get returns the cached token of hash if it is fresh, with the generation to store under.
func (c *tokenCache) get(hash string, now time.Time) (tokenEntry, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	return e, ok && e.gen == c.gen && now.Sub(e.at) < tokenTTL, c.gen
}

// put stores e unless a revocation happened since gen was read.
func (c *tokenCache) put(hash string, e tokenEntry, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.entries == nil || len(c.entries) > 1000 {
		c.entries = map[string]tokenEntry{}
	}
	e.gen = gen
	c.entries[hash] = e
}

// touched records that the token's last use was written, keeping the entry's age.
func (c *tokenCache) touched(hash string, at int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[hash]; ok {
		e.lastUsed = at
		c.entries[hash] = e
	}
}

// invalidate drops every cached token, after a revocation.
func (c *tokenCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.entries = nil
	c.mu.Unlock()
}
