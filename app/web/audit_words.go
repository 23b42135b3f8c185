package web

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// auditNames is what the console calls each action the audit log records (the codes org
// writes; a test checks every one of them has a name here). The code itself stays in the
// API, the CSV download and the filter.
var auditNames = map[string]string{
	"organization.created": "Organization created",
	"setup.completed":      "Set-up completed",
	"settings.changed":     "Settings changed",

	"invitation.created":          "Invitation made",
	"invitation.sent":             "Invitation emailed",
	"invitation.resent":           "Invitation sent again with a new link",
	"invitation.revoked":          "Invitation revoked",
	"invitation.accepted":         "Invitation accepted",
	"invitation.edited":           "Invitation's role or teams changed",
	"invitation.expired":          "Invitation expired",
	"invitation.reminded":         "Reminder sent",
	"invitation.resend_requested": "New invitation asked for",

	"join.requested": "Asked to join",
	"join.approved":  "Request to join approved",
	"join.declined":  "Request to join declined",

	"member.added":           "Member added",
	"member.joined":          "Joined through the join page",
	"member.role_changed":    "Member's role changed",
	"member.teams_changed":   "Member's teams changed",
	"member.deactivated":     "Member deactivated",
	"member.reactivated":     "Member reactivated",
	"member.deleted":         "Member deleted",
	"member.viewed_as":       "Member's page viewed by an admin",
	"member.email_changed":   "Member's email address changed",
	"member.profile_updated": "Member's profile updated",
	"member.seat_refused":    "Member not added: no free seat",

	"identity.linked":   "Single sign-on login linked",
	"identity.unlinked": "Single sign-on login removed",

	"team.created":         "Team created",
	"team.renamed":         "Team renamed",
	"team.deleted":         "Team deleted",
	"team.member_added":    "Added to a team",
	"team.member_removed":  "Removed from a team",
	"team.members_changed": "Team's members changed",

	"resource.created":       "Resource created",
	"resource.teams_changed": "Resource's teams changed",
	"resource.deleted":       "Resource deleted",
	"resource.granted":       "Resource given to a member",
	"resource.withdrawn":     "Resource taken back from a member",

	"role.created": "Custom role created",

	"token.created": "Token created",
	"token.revoked": "Token revoked",

	"import.previewed": "Import checked",
	"import.committed": "Import done",
	"import.sent":      "Import's invitations emailed",
	"import.cancelled": "Import cancelled",

	"mail.retried": "Email queued again",
	"job.run":      "Job run by hand",
}

// auditGroups name the first parts of the codes, for the filter's suggestions ("invitation."
// matches every invitation action).
var auditGroups = map[string]string{
	"organization.": "organization", "setup.": "set-up", "settings.": "settings", "invitation.": "invitations",
	"join.": "the join page", "member.": "members", "identity.": "single sign-on logins", "team.": "teams",
	"resource.": "resources", "role.": "roles", "token.": "tokens", "import.": "imports", "mail.": "mail", "job.": "jobs",
}

// auditName is the readable name of an action code; an unknown code is shown as it is.
func auditName(code string) string { return wordFor(auditNames, code) }

// actorKinds name the kinds of actor org records (Actor.Kind; "token" and "scim" are older
// spellings of the token kinds).
var actorKinds = map[string]string{
	"user": "person", "api_token": "API token", "token": "API token", "scim_token": "SCIM", "scim": "SCIM",
	"cli": "command line", "system": "system", "joiner": "join page", "invitee": "invited person",
}

// actorKind is the readable kind of an actor.
func actorKind(kind string) string { return wordFor(actorKinds, kind) }

// wordFor is how the console words a code: its entry in words, or the code itself when it
// has none (a code newer than the table).
func wordFor(words map[string]string, code string) string {
	if w, ok := words[code]; ok {
		return w
	}
	return code
}

// detailLabels name the keys org writes in an entry's details; others are shown with their
// underscores as spaces.
var detailLabels = map[string]string{
	"email": "Email", "name": "Name", "role": "Role", "teams": "Teams", "team": "Team", "notify": "Emailed",
	"from": "From", "to": "To", "source": "Through", "by": "Through", "filename": "File", "summary": "Result",
	"slug": "Address", "key": "Key", "permissions": "Permissions", "changed": "Changed", "import": "Import",
	"was": "Was", "kind": "Kind", "expires_at": "Works until", "resource": "Resource", "member": "Member",
	"sent": "Emails sent", "rows": "Rows", "outcomes": "Outcomes", "membership": "Membership",
	"already_member": "Was a member already", "provider": "Provider", "issuer": "Issuer", "status": "Status",
	"external_id": "Identity provider's id", "invitations_reassigned": "Invitations passed on",
	"teams_reassigned": "Teams passed on", "sessions_ended": "Sessions ended", "reason": "Reason",
	"added": "Added", "removed": "Removed", "members": "Members",
}

// detailWords replace a few values that are codes.
var detailWords = map[string]string{"scim": "SCIM", "api": "API"}

// auditDetails turns an entry's JSON details into "Key: value · Key: value", in the order they
// were written, without the session (a reference only the CSV download needs). Details that
// are not a JSON object are shown as they are.
func auditDetails(details string) string {
	if details == "" {
		return ""
	}
	dec := json.NewDecoder(strings.NewReader(details))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return details
	}
	var parts []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return details
		}
		key, _ := t.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return details
		}
		if key == "session" {
			continue
		}
		label, ok := detailLabels[key]
		if !ok {
			label = strings.ToUpper(key[:min(1, len(key))]) + strings.ReplaceAll(key[min(1, len(key)):], "_", " ")
		}
		parts = append(parts, label+": "+detailValue(v))
	}
	return strings.Join(parts, " · ")
}

// detailValue writes one value of the details for people: yes and no, lists with commas,
// times as the console shows them.
func detailValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "none"
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case string:
		if w, ok := detailWords[v]; ok {
			return w
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t.UTC().Format(whenLayout)
		}
		return v
	case []any:
		if len(v) == 0 {
			return "none"
		}
		s := make([]string, len(v))
		for i, x := range v {
			s[i] = detailValue(x)
		}
		return strings.Join(s, ", ")
	case map[string]any:
		if len(v) == 0 {
			return "none"
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		s := make([]string, len(keys))
		for i, k := range keys {
			s[i] = strings.ReplaceAll(k, "_", " ") + " " + detailValue(v[k])
		}
		return strings.Join(s, ", ")
	case json.Number:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}
