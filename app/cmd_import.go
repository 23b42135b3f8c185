package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// cmdImport previews a CSV file of invitations, commits it unless --dry-run, and writes the
// per-row report next to the file.
func cmdImport(ctx context.Context, env IO, args []string) error {
	var slug, file string
	var dry, notify, resend, create bool
	if err := flags("import", args, []string{"org", "file"}, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "org", "", "")
		fs.StringVar(&file, "file", "", "")
		fs.BoolVar(&dry, "dry-run", false, "")
		fs.BoolVar(&notify, "notify", false, "")
		fs.BoolVar(&resend, "resend-existing", false, "")
		fs.BoolVar(&create, "create-teams", false, "")
	}); err != nil {
		return err
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("cannot read the file: %w", err)
	}
	defer f.Close()
	path := strings.TrimSuffix(file, filepath.Ext(file)) + ".report.csv"
	report, created, err := openReport(path)
	if err != nil {
		return err
	}
	defer report.Close()
	err = withOrg(ctx, env, slug, func(svc *org.Service, o store.Org) error {
		a := org.SystemActor("cli", "command line", o.ID)
		p, err := svc.PreviewImport(ctx, a, f, org.ImportOptions{Filename: filepath.Base(file), ResendExisting: resend,
			CreateTeams: create, Limits: csvin.Limits{MaxRows: cfg.Imports.MaxRows, MaxBytes: cfg.Imports.MaxBytes}})
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(file), err)
		}
		printImportSummary(env.Stdout, p.Import)
		im := p.Import
		switch {
		case dry:
			fmt.Fprintf(env.Stdout, "Dry run: nothing was created. The preview is import %s.\n", im.ID)
		case im.Summary.ToInvite() == 0:
			fmt.Fprintln(env.Stdout, "Nobody to invite.")
			if im, err = svc.CommitImport(ctx, a, im.ID, org.CommitOptions{Notify: notify}); err != nil {
				return err
			}
		default:
			bar := newImportProgress(env.Stderr, im.Summary.ToInvite())
			im, err = svc.CommitImport(ctx, a, im.ID, org.CommitOptions{Notify: notify, Progress: bar.set})
			bar.finish()
			if err != nil {
				return fmt.Errorf("the import stopped part-way (%w); the invitations made so far stay. Continue it on the console's "+
					"Imports page or with POST /api/v1/imports/%s/commit (running this command again makes a new import, which "+
					"invites the rest but leaves this one unfinished)", err, p.Import.ID)
			}
			printCommitted(env.Stdout, im)
		}
		if err := writeImportReport(ctx, svc, a, im.ID, report); err != nil {
			return err
		}
		if err := report.Close(); err != nil {
			return fmt.Errorf("writing the report %s: %w", path, err)
		}
		fmt.Fprintf(env.Stdout, "Report: %s\n", path)
		return nil
	})
	if err != nil && created {
		_ = os.Remove(path) // made for a report that never came
	}
	return err
}

// printImportSummary prints what the file holds and what a commit would do with each row.
func printImportSummary(w io.Writer, im org.Import) {
	s := im.Summary
	fmt.Fprintf(w, "Read %s from %s (%s, %s-separated).\n", plural(s.Rows, "row"), im.Filename, s.Encoding, s.Separator)
	if len(s.Ignored) > 0 {
		fmt.Fprintf(w, "Ignored columns: %s\n", strings.Join(s.Ignored, ", "))
	}
	for _, o := range org.ImportOutcomes {
		if n := s.Outcomes[o]; n > 0 {
			fmt.Fprintf(w, "  %-24s %6d\n", org.OutcomeLabel(o), n)
		}
	}
	if len(s.TeamsToCreate) > 0 {
		fmt.Fprintf(w, "Teams to create: %s\n", strings.Join(s.TeamsToCreate, ", "))
	}
	fmt.Fprintf(w, "%s to send.\n", plural(s.ToInvite(), "invitation"))
}

// printCommitted says what the commit did.
func printCommitted(w io.Writer, im org.Import) {
	s := im.Summary
	invited, resent := s.Outcomes[org.OutcomeInvited], s.Outcomes[org.OutcomeResent]
	fmt.Fprintf(w, "Invited %s", plural(invited, "person"))
	if resent > 0 {
		fmt.Fprintf(w, " and sent %d again", resent)
	}
	if im.Notify {
		fmt.Fprintln(w, "; the emails are queued and go out while Lobby runs.")
	} else {
		fmt.Fprintf(w, "; no emails were sent. Send them later from the console or with POST /api/v1/imports/%s/send.\n", im.ID)
	}
	if left := s.Total - invited - resent; left > 0 {
		fmt.Fprintf(w, "%s changed since the preview and were not invited; see the report.\n", plural(left, "row"))
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if noun == "person" {
		return fmt.Sprintf("%d people", n)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// reportHeader starts every import report (after the byte order mark); a file that starts
// otherwise is not one and is never written over.
const reportHeader = "line,email,name,role,team,outcome,result,message,invitation_id"

// openReport opens the report file before anything is imported, so that a report that cannot
// be written stops the command before it invites anyone, and says whether it made the file. An
// earlier report is written over; any other file of that name is left alone.
func openReport(path string) (*os.File, bool, error) {
	_, statErr := os.Stat(path)
	out, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, false, fmt.Errorf("cannot write the report next to the file: %w", err)
	}
	head := make([]byte, 3+len(reportHeader))
	n, _ := io.ReadFull(out, head)
	if n > 0 && strings.TrimPrefix(string(head[:n]), "\uFEFF") != reportHeader {
		_ = out.Close()
		return nil, false, fmt.Errorf("%s exists and is not a report from Lobby; move it away first (the import writes its report there)", path)
	}
	return out, errors.Is(statErr, fs.ErrNotExist), nil
}

// writeImportReport writes the per-row report CSV to out, in place of what it held.
func writeImportReport(ctx context.Context, svc *org.Service, a org.Actor, id string, out *os.File) error {
	e, err := svc.ImportReport(ctx, a, id)
	if err != nil {
		return err
	}
	if err := out.Truncate(0); err != nil {
		return fmt.Errorf("writing the report %s: %w", out.Name(), err)
	}
	if _, err := out.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("writing the report %s: %w", out.Name(), err)
	}
	if err := e.Write(ctx, out); err != nil {
		return fmt.Errorf("writing the report %s: %w", out.Name(), err)
	}
	return nil
}

// importProgress shows a commit's progress on standard error: a bar on a terminal, plain
// lines otherwise (a log file or a pipe should not fill with redraws).
type importProgress struct {
	bar *progressbar.ProgressBar
	w   io.Writer
}

func newImportProgress(w io.Writer, total int) *importProgress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &importProgress{bar: progressbar.NewOptions(total, progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("Inviting"), progressbar.OptionShowCount(), progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish())}
	}
	return &importProgress{w: w}
}

func (p *importProgress) set(done, total int) {
	if p.bar != nil {
		_ = p.bar.Set(done)
		return
	}
	fmt.Fprintf(p.w, "Inviting: %d of %d rows done.\n", done, total)
}

func (p *importProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
