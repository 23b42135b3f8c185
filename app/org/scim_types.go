package org

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/store"
)

// Codes of Error that only SCIM provisioning produces.
const (
	// CodeSCIMVersion refuses a change whose If-Match names a version that is no longer current.
	CodeSCIMVersion = "version_mismatch"
	// CodeSCIMLocked refuses a change an identity provider may not make to a person it shares
	// with other organizations (their address).
	CodeSCIMLocked = "scim_locked"
)

// SCIMMaxPage is the most users or groups one SCIM list answer carries.
const SCIMMaxPage = 1000

// SCIMPolicy is what provisioning may do in an organization, from the [scim] config table.
type SCIMPolicy struct {
	// Role is given to new members when the identity provider names none.
	Role string
	// MaxRole is the highest role the identity provider may grant or take away.
	MaxRole string
	// DeleteMode is "delete" (DELETE removes the membership) or "deactivate" (it deactivates it).
	DeleteMode string
	// WelcomeEmail sends new active members a welcome email with a sign-in link.
	WelcomeEmail bool
}

// SCIMUser is one member of an organization as an identity provider sees it. As input, Role ""
// keeps the current role (on create: the policy's role); ID, AccountName, Groups, Created,
// Modified and Version are ignored.
type SCIMUser struct {
	ID          string // the membership id
	UserName    string // the person's address
	ExternalID  string
	Active      bool
	Role        string // a role key
	AccountName string // the name on the person's account
	Profile     SCIMProfile
	Groups      []SCIMRef // the SCIM-managed teams the member is in
	Created     int64     // unix ms
	Modified    int64     // unix ms
	Version     string    // a weak ETag of the content
}

// SCIMProfile is what Lobby keeps of the attributes an identity provider sends about a member,
// stored as JSON with the membership. Its JSON names are SCIM's; store filters read displayName,
// name and emails from it.
type SCIMProfile struct {
	DisplayName       string         `json:"displayName,omitempty"`
	Name              SCIMName       `json:"name,omitzero"`
	NickName          string         `json:"nickName,omitempty"`
	Title             string         `json:"title,omitempty"`
	UserType          string         `json:"userType,omitempty"`
	PreferredLanguage string         `json:"preferredLanguage,omitempty"`
	Locale            string         `json:"locale,omitempty"`
	Timezone          string         `json:"timezone,omitempty"`
	Emails            []SCIMEmail    `json:"emails,omitempty"`
	Enterprise        SCIMEnterprise `json:"enterprise,omitzero"`
}

// SCIMName is the parts of a person's name.
type SCIMName struct {
	Formatted       string `json:"formatted,omitempty"`
	FamilyName      string `json:"familyName,omitempty"`
	GivenName       string `json:"givenName,omitempty"`
	MiddleName      string `json:"middleName,omitempty"`
	HonorificPrefix string `json:"honorificPrefix,omitempty"`
	HonorificSuffix string `json:"honorificSuffix,omitempty"`
}

// SCIMEmail is one address of a person as the identity provider lists it, normalised.
type SCIMEmail struct {
	Value   string `json:"value"`
	Type    string `json:"type,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

// SCIMEnterprise is the enterprise user extension fields Lobby keeps. Manager is the SCIM id
// of the person's manager.
type SCIMEnterprise struct {
	EmployeeNumber string `json:"employeeNumber,omitempty"`
	CostCenter     string `json:"costCenter,omitempty"`
	Organization   string `json:"organization,omitempty"`
	Division       string `json:"division,omitempty"`
	Department     string `json:"department,omitempty"`
	Manager        string `json:"manager,omitempty"`
}

// SCIMRef points at a user or group with a name to show.
type SCIMRef struct {
	ID, Display string
}

// SCIMGroup is a SCIM-managed team.
type SCIMGroup struct {
	ID, Name, ExternalID string
	Members              []SCIMRef
	Created, Modified    int64
	Version              string
}

// SCIMGroupChange changes a group; nil fields stay as they are, and Members are applied in order.
type SCIMGroupChange struct {
	Name, ExternalID *string
	Members          []SCIMMemberOp
}

// SCIMMemberOp changes a group's members: Op "add" or "replace" (the whole list) with the SCIM
// user ids in IDs, or "remove" of IDs (of everyone when IDs is nil).
type SCIMMemberOp struct {
	Op  string
	IDs []string
}

// SCIMQuery asks for one page of users or groups: a filter (nil for all), an order, and the
// rows to skip and return.
type SCIMQuery struct {
	Filter *store.SCIMCond
	Sort   store.SCIMSort
	Offset int
	Limit  int
	// NoMembers says the answer leaves groups' members out (excludedAttributes=members, as
	// Entra's lookups ask): only their ids are read, for the version.
	NoMembers bool
}

// scimVersionMatches reports whether an If-Match header value allows a change to a resource
// at version v: empty and "*" always do; otherwise one of its comma-separated tags must equal
// v, weak or strong.
func scimVersionMatches(ifMatch, v string) bool {
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" || ifMatch == "*" {
		return true
	}
	bare := strings.TrimPrefix(v, "W/")
	for _, tag := range strings.Split(ifMatch, ",") {
		if strings.TrimPrefix(strings.TrimSpace(tag), "W/") == bare {
			return true
		}
	}
	return false
}

func scimCheckVersion(ifMatch, v, what string) error {
	if !scimVersionMatches(ifMatch, v) {
		return errf(CodeSCIMVersion, "", "the %s changed since version %s was read; read it again", what, ifMatch)
	}
	return nil
}

// scimVersion is a weak ETag of v's JSON.
func scimVersion(v any) string {
	sum := sha256.Sum256(mustJSON(v))
	return `W/"` + hex.EncodeToString(sum[:8]) + `"`
}

// scimDisplayName is the name a profile gives a person, for their account.
func scimDisplayName(p SCIMProfile) string {
	if p.DisplayName != "" {
		return p.DisplayName
	}
	if p.Name.Formatted != "" {
		return p.Name.Formatted
	}
	return strings.TrimSpace(p.Name.GivenName + " " + p.Name.FamilyName)
}

// cleanSCIMProfile puts every field on one line (folding line breaks and control characters
// to spaces), checks lengths and normalises every address.
func cleanSCIMProfile(p SCIMProfile) (SCIMProfile, error) {
	strs := []*string{&p.DisplayName, &p.NickName, &p.Title, &p.UserType, &p.PreferredLanguage, &p.Locale, &p.Timezone,
		&p.Name.Formatted, &p.Name.FamilyName, &p.Name.GivenName, &p.Name.MiddleName, &p.Name.HonorificPrefix,
		&p.Name.HonorificSuffix, &p.Enterprise.EmployeeNumber, &p.Enterprise.CostCenter, &p.Enterprise.Organization,
		&p.Enterprise.Division, &p.Enterprise.Department, &p.Enterprise.Manager}
	for _, s := range strs {
		*s = toOneLine(*s)
		if len([]rune(*s)) > 256 {
			return p, errf(CodeInvalid, "", "a user attribute is longer than 256 characters: %.40q…", *s)
		}
	}
	if len(p.Emails) > 10 {
		return p, errf(CodeInvalid, "emails", "a user may have at most 10 email addresses, not %d", len(p.Emails))
	}
	primary := false
	out := make([]SCIMEmail, 0, len(p.Emails))
	for _, e := range p.Emails {
		norm, err := address.Parse(e.Value)
		if err != nil {
			return p, errf(CodeInvalidEmail, "emails", "emails: %s", err.Error())
		}
		e.Value, e.Type = norm, strings.ToLower(strings.TrimSpace(e.Type))
		if len(e.Type) > 32 {
			return p, errf(CodeInvalid, "emails", "an email type is longer than 32 characters")
		}
		e.Primary = e.Primary && !primary
		primary = primary || e.Primary
		out = append(out, e)
	}
	p.Emails = out
	if len(out) == 0 {
		p.Emails = nil
	}
	return p, nil
}

// scimProfileJSON is the stored form of a profile; an empty profile is stored as "".
func scimProfileJSON(p SCIMProfile) string {
	b, _ := json.Marshal(p)
	if string(b) == "{}" {
		return ""
	}
	return string(b)
}

func scimParseProfile(s string) SCIMProfile {
	var p SCIMProfile
	if s != "" {
		_ = json.Unmarshal([]byte(s), &p)
	}
	return p
}
