package api

import (
	"slices"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// wholePage answers page p of a list that org reads whole (roles, resources, tokens: a
// handful of rows each), so that it takes limit and cursor like every other list. The cursor
// is the key of the last item of the previous page; one that names no item (never given, or
// its item was deleted since) is refused as a cursor of the other lists is.
func wholePage[T any](all []T, p store.Page, keyOf func(T) string) (list[T], error) {
	start := 0
	if p.Cursor != "" {
		i := slices.IndexFunc(all, func(t T) bool { return keyOf(t) == p.Cursor })
		if i < 0 {
			return list[T]{}, &org.Error{Code: org.CodeInvalid, Field: "cursor", Message: "cursor must be the next_cursor of the previous page"}
		}
		start = i + 1
	}
	end := min(start+p.Limit+1, len(all)) // one row ahead, as a page read from the store peeks
	return newList(all[start:end], p, keyOf), nil
}
