package web

import "github.com/lobby/lobby/app/store"

// peekedPage trims a list read with p.Peek to the page and reports whether another page
// follows, so that a page that is exactly full shows no link to an empty next one.
func peekedPage[T any](items []T, p store.Page) ([]T, bool) {
	if len(items) > p.Limit {
		return items[:p.Limit], true
	}
	return items, false
}
