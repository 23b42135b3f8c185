package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"path"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Renderer holds the page templates and the static files, both read once at start.
type Renderer struct {
	pages  map[string]*template.Template
	assets map[string]asset // by hashed file name
	urls   map[string]string
}

type asset struct {
	body []byte
	mime string
}

// NewRenderer parses templates/layout.html and templates/partials/*.html with every page of
// templates/pages/ and templates/console/ (and any extra folders given), and fingerprints static/.
func NewRenderer(fsys fs.FS, extra ...string) (*Renderer, error) {
	r := &Renderer{pages: map[string]*template.Template{}, assets: map[string]asset{}, urls: map[string]string{}}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		r.assets[hashed] = asset{body: b, mime: mime.TypeByExtension(ext)}
		r.urls[name] = "/static/" + hashed
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	funcs := template.FuncMap{
		"when": when,
		"whenp": func(ms *int64) template.HTML {
			if ms == nil {
				return ""
			}
			return when(*ms)
		},
		"join": strings.Join,
		// count writes a number with commas between thousands (numbers.go).
		"count": count,
		// auditName is an audit action's name in words (audit_words.go).
		"auditName": auditName,
		// mailKind is an email template's name in words (console_mail.go).
		"mailKind": mailKind,
		"has": func(list []string, v string) bool {
			for _, x := range list {
				if x == v {
					return true
				}
			}
			return false
		},
		"asset": func(name string) (string, error) {
			u, ok := r.urls[name]
			if !ok {
				return "", fmt.Errorf("no static file %q", name)
			}
			return u, nil
		},
	}
	patterns := []string{"templates/layout.html"}
	if partials, _ := fs.Glob(fsys, "templates/partials/*.html"); len(partials) > 0 {
		patterns = append(patterns, "templates/partials/*.html")
	}
	layout, err := template.New("layout").Funcs(funcs).ParseFS(fsys, patterns...)
	if err != nil {
		return nil, err
	}
	for _, dir := range append([]string{"pages", "console"}, extra...) {
		files, err := fs.Glob(fsys, "templates/"+dir+"/*.html")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			t, err := template.Must(layout.Clone()).ParseFS(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", f, err)
			}
			name := strings.TrimSuffix(path.Base(f), ".html")
			if dir != "pages" {
				name = dir + "/" + name
			}
			r.pages[name] = t
		}
	}
	return r, nil
}

// Render writes a page with its layout.
func (r *Renderer) Render(c *fiber.Ctx, status int, name string, data any) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

// Static serves /static/<name>.<hash>.<ext> with a year of caching: the name changes with the content.
func (r *Renderer) Static(c *fiber.Ctx) error {
	a, ok := r.assets[c.Params("file")]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, a.mime)
	return c.Send(a.body)
}

// whenLayout is how the console writes a moment: "5 Dec 2026, 10:45 UTC".
const whenLayout = "2 Jan 2006, 15:04 MST"

// when shows a moment as "5 Dec 2026, 10:45 UTC" in a <time> element that carries it in full:
// the instance has no time zone of its own, so the page says which one it uses.
func when(ms int64) template.HTML {
	if ms == 0 {
		return ""
	}
	t := time.UnixMilli(ms).UTC()
	return template.HTML(`<time datetime="` + t.Format(time.RFC3339) + `">` + t.Format(whenLayout) + `</time>`)
}
