package org

// WithCommitHook makes a commit use chunks of size rows and call hook inside each chunk's
// transaction before it commits, so tests can see chunks and fail one part-way.
func WithCommitHook(o CommitOptions, size int, hook func(chunk int) error) CommitOptions {
	o.chunk, o.hook = size, hook
	return o
}

// SetSendChunk makes SendImport send n invitations per transaction.
func SetSendChunk(s *Service, n int) { s.sendChunk = n }
