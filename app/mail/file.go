package mail

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// FileTransport writes each message as an RFC 5322 .eml file into a folder instead of sending
// it: the default, so a fresh install never needs a mail server and an admin can open the
// invitations it would have sent.
type FileTransport struct {
	dir string
	now func() time.Time
}

// NewFileTransport makes the folder (mode 0750) if needed and returns a transport writing to it.
func NewFileTransport(dir string) (*FileTransport, error) {
	if dir == "" {
		return nil, fmt.Errorf("the mail folder is not set")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("cannot create the mail folder %s: %w", dir, err)
	}
	removeLeftovers(dir, time.Now().Add(-time.Minute))
	return &FileTransport{dir: dir, now: time.Now}, nil
}

// removeLeftovers deletes the temporary files of messages whose writing a stopped process left
// unfinished (Send renames a file into place only once it is whole), older than before: a
// file newer than that may be another process's message being written.
func removeLeftovers(dir string, before time.Time) {
	names, _ := filepath.Glob(filepath.Join(dir, ".tmp-*.eml"))
	for _, name := range names {
		if fi, err := os.Stat(name); err == nil && fi.ModTime().Before(before) {
			_ = os.Remove(name)
		}
	}
}

// Dir is the folder the files go to.
func (t *FileTransport) Dir() string { return t.dir }

var safeFileID = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

// Send writes <unixms>-<id>.eml, where id is the outbox id from the headers (or a random one).
// The file appears complete or not at all: it is written under a temporary name and renamed.
func (t *FileTransport) Send(ctx context.Context, from, to string, msg Message, headers map[string]string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	now := t.now()
	m, msgID, err := buildMsg(from, to, msg, headers, now)
	if err != nil {
		return "", err
	}
	b, err := render(m)
	if err != nil {
		return "", err
	}
	defer buffers.Put(b)
	id := headerValue(headers, HeaderOutboxID)
	if !safeFileID.MatchString(id) {
		id = randomID()
	}
	name := filepath.Join(t.dir, fmt.Sprintf("%d-%s.eml", now.UnixMilli(), id))
	tmp, err := os.CreateTemp(t.dir, ".tmp-*.eml")
	if err != nil {
		return "", fmt.Errorf("cannot write to the mail folder %s: %w", t.dir, err)
	}
	renamed := false
	defer func() {
		if !renamed {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(b.Bytes()); err != nil {
		_ = tmp.Close()
		return "", fmt.Errorf("cannot write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("cannot write %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return "", fmt.Errorf("cannot write %s: %w", name, err)
	}
	renamed = true // nothing left to remove: a second syscall per email for nothing
	return msgID, nil
}

// headerValue finds a header by name, whatever its case.
func headerValue(headers map[string]string, name string) string {
	for k, v := range headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
