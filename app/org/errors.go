package org

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/lobby/lobby/app/store"
)

// Error is a refusal a person can act on: a stable Code for programs, a Message in plain words,
// and the Field it is about when there is one.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string { return e.Message }

// Codes of Error. Transports map them to HTTP statuses; clients may rely on them.
const (
	CodeInvalid         = "invalid_request"
	CodeInvalidEmail    = "invalid_email"
	CodeUnknownRole     = "unknown_role"
	CodeUnknownTeam     = "unknown_team"
	CodeUnknownResource = "unknown_resource"
	CodeSeatLimit       = "seat_limit_reached"
	CodeAlreadyMember   = "already_member"
	CodeDeactivated     = "member_deactivated"
	CodeAlreadyInvited  = "already_invited"
	CodeDuplicate       = "duplicate"
	CodeNotPending      = "invitation_not_pending"
	CodeNotResendable   = "invitation_not_resendable"
	CodeInviteExpired   = "invitation_expired"
	CodeInviteRevoked   = "invitation_revoked"
	CodeInviteUsed      = "invitation_used"
	CodeWrongPerson     = "wrong_person"
	CodeNotFound        = "not_found"
	CodeForbidden       = "forbidden"
	CodeLastOwner       = "last_owner"
	CodeConflict        = "conflict"
	CodeTeamRequired    = "team_required"
	CodeSCIMManaged     = "scim_managed"
	CodeInvalidSetting  = "invalid_setting"
	CodeUnauthenticated = "unauthenticated"
	CodeEmailTaken      = "email_taken"
	CodeInvalidPassword = "invalid_password"
	// CodeMisconfigured: Lobby's own configuration is wrong (a setting names a role the
	// organization lacks, say); the message names the setting. Not the caller's fault.
	CodeMisconfigured = "misconfigured"
)

func errf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// notFound maps store.ErrNotFound to a typed "not found" naming what was missing.
func notFound(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return errf(CodeNotFound, "", "%s was not found", what)
	}
	return err
}

// asSetting says an error about a value is about the setting key that holds it, as every
// other setting's error reads ("join_role: role …"), keeping its code (unknown_role, …).
func asSetting(err error, key string) error {
	if e, ok := AsError(err); ok {
		return errf(e.Code, key, "%s: %s", key, e.Message)
	}
	return err
}

// inField says an error about a value is about the query parameter or field that held it.
func inField(err error, field string) error {
	if e, ok := AsError(err); ok {
		out := *e
		out.Field = field
		return &out
	}
	return err
}

// oneLine reports whether s has no control characters (line breaks, tabs, NUL): names show on
// one line in pages, emails, CSV files and SCIM, and a NUL or a line break in one is a
// mistake or an attack, never a name.
func oneLine(s string) bool { return !strings.ContainsFunc(s, unicode.IsControl) }

// toOneLine folds white space and control characters to single spaces: for names an identity
// provider sends, which Lobby takes as they come rather than refuse a person's provisioning.
func toOneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
