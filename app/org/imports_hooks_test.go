package org

// WithCommitHook makes a commit use chunks of size rows and call hook inside each chunk's
// transaction before it commits, so tests can see chunks and fail one part-way.
func WithCommitHook(o CommitOptions, size int, hook func(chunk int) error) CommitOptions {
	o.chunk, o.hook = size, hook
	return o
}

// SetSendChunk makes SendImport send n invitations per transaction.
func SetSendChunk(s *Service, n int) { s.sendChunk = n }

// SetExpireHook makes ExpireDue call hook inside each chunk's transaction, numbered from 1,
// and fail that chunk with its error: a process stopping part-way.
func SetExpireHook(s *Service, hook func(chunk int) error) { s.expireHook = hook }
