package mail

import (
	"bytes"
	"errors"
	"fmt"
	htemplate "html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	ttemplate "text/template"
)

// Message is a rendered email: a one-line subject and the same content as plain text and HTML.
type Message struct {
	Subject, Text, HTML string
}

// Renderer renders the email templates, all parsed once by NewRenderer.
type Renderer struct {
	msgs map[string]*msgTemplates
}

type msgTemplates struct {
	subject, text *ttemplate.Template
	html          *htemplate.Template
}

// templateDir is where the templates live inside the assets handed to NewRenderer.
const templateDir = "templates/mail"

// funcs are the helpers templates may call. dict builds the argument of a shared block such as
// "button"; opt reads a key the caller may leave out without tripping missingkey=error.
var funcs = map[string]any{
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("dict needs key and value pairs")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"opt": func(data map[string]any, key string) any { return data[key] },
}

// NewRenderer parses every email in templates/mail of fsys: NAME.txt.tmpl, whose first line is
// "Subject: …", and NAME.html.tmpl, drawn inside the blocks of the _*.html.tmpl files. Both
// halves of every email must exist. A template that uses a key its data lacks fails to render.
func NewRenderer(fsys fs.FS) (*Renderer, error) {
	texts, err := fs.Glob(fsys, templateDir+"/*.txt.tmpl")
	if err != nil {
		return nil, err
	}
	htmls, err := fs.Glob(fsys, templateDir+"/*.html.tmpl")
	if err != nil {
		return nil, err
	}
	var partials []string
	htmlByName := map[string]string{}
	for _, f := range htmls {
		if base := path.Base(f); strings.HasPrefix(base, "_") {
			partials = append(partials, f)
		} else {
			htmlByName[strings.TrimSuffix(base, ".html.tmpl")] = f
		}
	}
	r := &Renderer{msgs: map[string]*msgTemplates{}}
	for _, f := range texts {
		name := strings.TrimSuffix(path.Base(f), ".txt.tmpl")
		if strings.HasPrefix(name, "_") {
			continue
		}
		m, err := parseText(fsys, f, name)
		if err != nil {
			return nil, err
		}
		hf, ok := htmlByName[name]
		if !ok {
			return nil, fmt.Errorf("email %q has %s but no %s.html.tmpl", name, f, name)
		}
		delete(htmlByName, name)
		m.html, err = htemplate.New(path.Base(hf)).Option("missingkey=error").Funcs(funcs).ParseFS(fsys, append(partials, hf)...)
		if err != nil {
			return nil, fmt.Errorf("email template %s: %w", hf, err)
		}
		r.msgs[name] = m
	}
	for name, hf := range htmlByName {
		return nil, fmt.Errorf("email %q has %s but no %s.txt.tmpl", name, hf, name)
	}
	if len(r.msgs) == 0 {
		return nil, fmt.Errorf("no email templates found in %s", templateDir)
	}
	return r, nil
}

// parseText reads NAME.txt.tmpl: the subject line, then the plain text body.
func parseText(fsys fs.FS, file, name string) (*msgTemplates, error) {
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	first, body, _ := strings.Cut(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	subject, ok := strings.CutPrefix(first, "Subject:")
	if !ok || strings.TrimSpace(subject) == "" {
		return nil, fmt.Errorf("email template %s: the first line must be \"Subject: …\"", file)
	}
	m := &msgTemplates{}
	if m.subject, err = ttemplate.New(name + ".subject").Option("missingkey=error").Funcs(funcs).Parse(strings.TrimSpace(subject)); err != nil {
		return nil, fmt.Errorf("email template %s, subject: %w", file, err)
	}
	if m.text, err = ttemplate.New(name + ".txt").Option("missingkey=error").Funcs(funcs).Parse(body); err != nil {
		return nil, fmt.Errorf("email template %s: %w", file, err)
	}
	return m, nil
}

// Names lists the emails the renderer knows, sorted.
func (r *Renderer) Names() []string {
	names := make([]string, 0, len(r.msgs))
	for n := range r.msgs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Render renders the email name with data. The subject comes out as a single line, whatever
// the data holds, so no value can add a header.
func (r *Renderer) Render(name string, data map[string]any) (Message, error) {
	m, ok := r.msgs[name]
	if !ok {
		return Message{}, fmt.Errorf("there is no email template named %q", name)
	}
	if data == nil {
		data = map[string]any{}
	}
	b := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(b)
	part := func(what string, t interface {
		Execute(io.Writer, any) error
	}) (string, error) {
		b.Reset()
		if err := t.Execute(b, data); err != nil {
			return "", fmt.Errorf("email %q, %s: %w", name, what, err)
		}
		return b.String(), nil
	}
	subject, err := part("subject", m.subject)
	if err != nil {
		return Message{}, err
	}
	text, err := part("text", m.text)
	if err != nil {
		return Message{}, err
	}
	html, err := part("HTML", m.html)
	if err != nil {
		return Message{}, err
	}
	return Message{Subject: strings.Join(strings.Fields(subject), " "), Text: text, HTML: html}, nil
}
