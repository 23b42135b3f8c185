package main

import (
	"embed"
	"io/fs"
)

//go:embed public
var public embed.FS

// assets is the embedded public/ folder as the app sees it: templates/ and static/ at its root.
func assets() fs.FS {
	sub, err := fs.Sub(public, "public")
	if err != nil {
		panic(err)
	}
	return sub
}
