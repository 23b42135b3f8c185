package org

import "time"

// The expire job works in chunks: one write transaction each, so that API writes, which queue
// behind the same writer connection, wait for what is left of one chunk. How long a chunk of
// N rows takes depends on where the rows lie: due invitations that are the oldest share pages
// (250 took about 3 ms here, COMMIT included), due invitations spread among live ones each
// dirty pages of their own (250 took 7 ms before their COMMIT and 12–50 ms with it). So the
// size adapts: each chunk is sized from how long the one before took, to last about
// expireChunkTarget; here that came to 390–460 rows for the oldest and about 220 for spread ones.
const (
	// ExpireChunk is the size of the first chunk.
	ExpireChunk = 250
	// expireChunkMin and expireChunkMax bound the size: below the minimum each COMMIT costs
	// more than its rows, above the maximum a run that slows down midway holds up writes too long.
	expireChunkMin = 25
	expireChunkMax = 2000
	// expireChunkTarget is how long one chunk should hold the writer, its COMMIT included.
	expireChunkTarget = 4 * time.Millisecond
)

// chunkSizer picks the size of each expire chunk from how long the previous one took.
type chunkSizer struct{ n int }

func newChunkSizer() chunkSizer { return chunkSizer{n: ExpireChunk} }

// size is how many rows the next chunk takes.
func (c *chunkSizer) size() int { return c.n }

// took records that a chunk of rows rows held the writer for d. Only a full chunk says how
// fast rows go; the size at most doubles or quarters at a time, so one odd chunk (a pause of
// the machine) moves it only so far. Sizes are multiples of expireChunkMin, so the job's SQL,
// which lists a chunk's rows, comes in a few shapes the connection keeps prepared.
func (c *chunkSizer) took(rows int, d time.Duration) {
	if rows < c.n || d <= 0 {
		return
	}
	ideal := int(float64(rows) * float64(expireChunkTarget) / float64(d))
	n := min(max(ideal, c.n/4, expireChunkMin), 2*c.n, expireChunkMax)
	c.n = n - n%expireChunkMin
}
