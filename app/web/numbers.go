package web

import (
	"fmt"

	"github.com/lobby/lobby/app/csvin"
)

// count writes a whole number for people, with commas between thousands (1,234), as the CSV
// reader's messages do.
func count(n any) string {
	switch x := n.(type) {
	case int:
		return csvin.Thousands(int64(x))
	case int32:
		return csvin.Thousands(int64(x))
	case int64:
		return csvin.Thousands(x)
	case uint32:
		return csvin.Thousands(int64(x))
	}
	return fmt.Sprint(n)
}
