package org

import (
	"context"
	"time"
)

// CommitImportWithin commits like CommitImport but answers within about wait: with the
// committed import and done = true when the commit ended in time, or with the import as it
// stands (status committing, with its progress) and done = false while the commit goes on in
// the background, for the console and the API to follow. A refusal (no permission, no such
// import, a cancelled one) comes back at once. A background commit that fails is logged, and
// committing again resumes it.
func (s *Service) CommitImportWithin(ctx context.Context, a Actor, id string, opt CommitOptions, wait time.Duration) (Import, bool, error) {
	im, err := s.Import(ctx, a, id)
	if err != nil {
		return Import{}, false, err
	}
	switch im.Status {
	case ImportStatusCommitted:
		return im, true, nil
	case ImportStatusCancelled:
		return Import{}, false, errf(CodeConflict, "", "this import was cancelled; upload the file again")
	case ImportStatusReading:
		return Import{}, false, errf(CodeConflict, "", "this import is still being read; wait for its preview")
	}
	type result struct {
		im  Import
		err error
	}
	res := make(chan result, 1)
	bg := context.WithoutCancel(ctx)
	go func() {
		im, err := s.CommitImport(bg, a, id, opt)
		res <- result{im, err}
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case r := <-res:
		return r.im, r.err == nil, r.err
	case <-timer.C:
	}
	go func() {
		if r := <-res; r.err != nil {
			s.log.Error("An import commit stopped; committing it again goes on from there.", "import_id", id, "err", r.err)
		}
	}()
	im, err = s.Import(bg, a, id)
	return im, false, err
}
