package web

import (
	"fmt"
	"strings"
)

// bulkAction is one action of the People page's bulk bar, and how the console speaks of it.
type bulkAction struct {
	on     string // the kind of row it works on: "invitation", "member", or "" for both
	did    string // the result, with the count: "Resent %s."
	none   string // the result when nothing was done: "Nothing was resent"
	only   string // why a row of the other kind was left alone
	ask    string // the question asked before it runs, with the count; empty: it runs at once
	warn   string // what the question adds; {org} is the organization's name
	button string // the confirming button, with the count
}

var bulkActions = map[string]bulkAction{
	"resend": {on: "invitation", did: "Resent %s.", none: "Nothing was resent", only: "Resend works on invitations only.",
		ask: "Resend %s?", warn: "Each gets an email with a new link, and the links sent or copied before stop working at once.",
		button: "Resend %s"},
	"revoke": {on: "invitation", did: "Revoked %s.", none: "Nothing was revoked", only: "Revoke works on invitations only.",
		ask: "Revoke %s?", warn: "Their links stop working at once.", button: "Revoke %s"},
	"deactivate": {on: "member", did: "Deactivated %s.", none: "Nobody was deactivated", only: "Deactivate works on members only.",
		ask:  "Deactivate %s?",
		warn: "They can no longer use {org} and their seats are free. You can reactivate them later.", button: "Deactivate %s"},
	"reactivate": {on: "member", did: "Reactivated %s.", none: "Nobody was reactivated", only: "Reactivate works on members only."},
	"role":       {did: "Changed the role of %s.", none: "No role was changed"},
	"team": {on: "member", did: "Added %s to the team.", none: "Nobody was added to the team",
		only: "Add to team works on members only; an invitation's teams are changed on its own page."},
}

// count says how many rows of the kind an action works on: "1 invitation", "5 members", "2 people".
func (b bulkAction) count(n int) string {
	switch b.on {
	case "invitation":
		return counted(n, "invitation", "invitations")
	case "member":
		return counted(n, "member", "members")
	}
	return counted(n, "person", "people")
}

// counted writes a count with its noun: "1 invitation", "5 invitations".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// misfit says who was left alone because they are of the other kind, and why:
// "Carl Long is a member. Resend works on invitations only."
func (b bulkAction) misfit(names []string) string {
	if len(names) == 0 {
		return ""
	}
	is := map[bool]string{true: " is a member", false: " are members"}
	if b.on == "member" {
		is = map[bool]string{true: " has an invitation, not a membership", false: " have invitations, not memberships"}
	}
	return nameList(names) + is[len(names) == 1] + ". " + b.only
}

// result is the notice after a bulk action: what was done, then what was not and why.
func (b bulkAction) result(done int, reasons []string) string {
	why := strings.Join(reasons, " ")
	switch {
	case done == 0 && why == "":
		return b.none + "."
	case done == 0:
		return b.none + ": " + why
	case why == "":
		return fmt.Sprintf(b.did, b.count(done))
	}
	return fmt.Sprintf(b.did, b.count(done)) + " Not for the others: " + why
}

// nameList writes names as a sentence does: "A", "A and B", "A, B and C", "A, B, C and 4 others".
func nameList(names []string) string {
	const shown = 3
	switch {
	case len(names) == 1:
		return names[0]
	case len(names) <= shown:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return strings.Join(names[:shown], ", ") + " and " + counted(len(names)-shown, "other", "others")
}
