package main

import (
	"embed"
	"io/fs"
)

// "all:" keeps files whose names start with "_" (the mail layout), which embed skips otherwise.
//
//go:embed all:public
var public embed.FS

// assets is the embedded public/ folder as the app sees it: templates/ and static/ at its root.
func assets() fs.FS {
	sub, err := fs.Sub(public, "public")
	if err != nil {
		panic(err)
	}
	return sub
}
