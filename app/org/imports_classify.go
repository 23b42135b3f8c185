package org

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/store"
)

// classifier decides the outcome of every row of one file, batch by batch in file order. It
// keeps one entry per address seen, to find duplicates, and the seats still free.
type classifier struct {
	rules    *importRules
	resend   bool
	free     int64  // seats still free; -1 without a limit
	full     string // why no seat was free before the file; empty when one was
	now      int64
	seen     map[string]int   // address → line of its first row
	dups     map[string][]int // address → lines of all its rows, for addresses on several rows
	counts   map[string]int
	toCreate []string
	creating map[string]bool
}

func (s *Service) newClassifier(ctx context.Context, a Actor, opt ImportOptions) (*classifier, error) {
	o, err := store.GetOrg(ctx, s.db.R, a.OrgID)
	if err != nil {
		return nil, notFound(err, "organization")
	}
	rules, err := loadImportRules(ctx, s.db.R, a, o, opt.CreateTeams)
	if err != nil {
		return nil, err
	}
	now := s.nowMs()
	free, used, err := freeSeats(ctx, s.db.R, o, now)
	if err != nil {
		return nil, err
	}
	c := &classifier{rules: rules, resend: opt.ResendExisting, free: free, now: now, seen: map[string]int{},
		dups: map[string][]int{}, counts: map[string]int{}, creating: map[string]bool{}}
	if free == 0 {
		c.full = seatError(o, used).Message
	}
	return c, nil
}

// classify decides the outcome of a batch of rows, reading members and pending invitations
// through q. Nothing is written.
func (c *classifier) classify(ctx context.Context, q store.Q, batch []csvin.Row) ([]store.ImportRow, error) {
	out := make([]store.ImportRow, len(batch))
	cand := make([]bool, len(batch))
	norms := make([]string, 0, len(batch))
	for i, row := range batch {
		r := &out[i]
		*r = store.ImportRow{Line: row.Line, Email: row.Email, Name: row.Name, Role: row.Role, Teams: row.Teams, Resources: row.Resources}
		if row.Problem != "" {
			r.Outcome, r.Message = OutcomeInvalidRow, row.Problem
			continue
		}
		norm, err := address.Parse(row.Email)
		if err != nil {
			r.Outcome, r.Message = OutcomeInvalidEmail, err.Error()
			continue
		}
		r.Email = norm
		if len([]rune(row.Name)) > 200 {
			r.Outcome, r.Message = OutcomeInvalidRow, "the name is longer than 200 characters"
			continue
		}
		if !oneLine(row.Name) {
			r.Outcome, r.Message = OutcomeInvalidRow, "the name has a line break or a control character"
			continue
		}
		if first, ok := c.seen[norm]; ok {
			if len(c.dups[norm]) == 0 {
				c.dups[norm] = []int{first}
			}
			c.dups[norm] = append(c.dups[norm], row.Line)
			r.Outcome, r.Message = OutcomeDuplicate, "the address is also on line "+strconv.Itoa(first)
			continue
		}
		// A row the rules refuse (unknown role or team…) does not claim its address: a corrected
		// row for the same person further down is the one that counts. It is still looked up,
		// so that a member's row says so before any rule.
		if c.rules.check(r.Role, r.Teams, r.Resources).outcome == "" {
			c.seen[norm] = row.Line
		}
		cand[i] = true
		norms = append(norms, norm)
	}
	o := c.rules.o
	members, err := store.MemberEmails(ctx, q, o.ID, norms)
	if err != nil {
		return nil, err
	}
	pending, err := store.PendingInvitationsByEmail(ctx, q, o.ID, norms)
	if err != nil {
		return nil, err
	}
	for i := range out {
		r := &out[i]
		if cand[i] {
			c.decide(r, members[r.Email], pending[r.Email])
		}
		c.counts[r.Outcome]++
	}
	return out, nil
}

// decide gives a row with a good, first-seen address its outcome, taking a seat when it will
// be invited.
func (c *classifier) decide(r *store.ImportRow, member string, p store.Invitation) {
	o := c.rules.o
	switch {
	case member == "active":
		r.Outcome, r.Message = OutcomeAlreadyMember, "already a member of "+o.Name
		return
	case member != "":
		r.Outcome, r.Message = OutcomeDeactivated, "a deactivated member of "+o.Name+"; reactivate them instead"
		return
	case p.ID != "" && p.ExpiresAt > c.now && c.resend:
		r.Outcome, r.Message = OutcomeResend, "has a pending invitation; it will be sent again with a new link"
		return
	case p.ID != "" && p.ExpiresAt > c.now:
		r.Outcome, r.Message = OutcomeAlreadyInvited, "has a pending invitation; it is left alone"
		return
	}
	plan := c.rules.check(r.Role, r.Teams, r.Resources)
	if plan.outcome != "" {
		r.Outcome, r.Message = plan.outcome, plan.message
		return
	}
	if c.free == 0 {
		r.Outcome, r.Message = OutcomeSeatLimit, fmt.Sprintf("%s has a limit of %d seats and the rows before this one take the free ones",
			o.Name, *o.SeatLimit)
		if c.full != "" {
			r.Message = c.full
		}
		return
	}
	if c.free > 0 {
		c.free--
	}
	r.Outcome = OutcomeInvite
	if len(plan.missing) > 0 {
		for _, m := range plan.missing {
			if key := store.TeamKey(m); !c.creating[key] {
				c.creating[key] = true
				c.toCreate = append(c.toCreate, m)
			}
		}
		r.Message = "will create the team " + quoteList(plan.missing)
		if len(plan.missing) > 1 {
			r.Message = "will create the teams " + quoteList(plan.missing)
		}
	}
}

// duplicateChanges says, for every address on several rows, on which other lines it is: the
// first row keeps its outcome and gains the note; the repeats are duplicates.
func (c *classifier) duplicateChanges() []store.ImportRowChange {
	var out []store.ImportRowChange
	for _, lines := range c.dups {
		for i, line := range lines {
			others := slices.Concat(lines[:i], lines[i+1:])
			if i == 0 {
				out = append(out, store.ImportRowChange{Line: line, Message: "the address is also on " + lineList(others), AppendMessage: true})
				continue
			}
			out = append(out, store.ImportRowChange{Line: line, Message: "a repeat of line " + strconv.Itoa(lines[0]) +
				"; the address is also on " + lineList(others)})
		}
	}
	slices.SortFunc(out, func(a, b store.ImportRowChange) int { return a.Line - b.Line })
	return out
}

// lineList writes "line 3", "lines 3 and 7" or "lines 3, 7 and 12", naming at most ten.
func lineList(lines []int) string {
	const most = 10
	if len(lines) == 1 {
		return "line " + strconv.Itoa(lines[0])
	}
	parts := make([]string, 0, min(len(lines), most))
	for _, l := range lines[:min(len(lines), most)] {
		parts = append(parts, strconv.Itoa(l))
	}
	if len(lines) > most {
		return "lines " + strings.Join(parts, ", ") + " and " + strconv.Itoa(len(lines)-most) + " more"
	}
	return "lines " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// quoteList writes `"A"` or `"A", "B"`.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
