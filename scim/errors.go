package scim

import (
	"errors"
	"net/http"

	scimerr "github.com/elimity-com/scim/errors"

	"github.com/lobby/lobby/app/org"
)

// fail turns an error from org into the SCIM error the library writes. It returns values, not
// pointers: the library answers 500 for a pointer.
func (h *handler) fail(r *http.Request, err error) error {
	var se scimerr.ScimError
	if errors.As(err, &se) {
		return se
	}
	e, ok := org.AsError(err)
	if !ok {
		h.log.Error("A SCIM request failed.", "method", r.Method, "path", r.URL.Path, "err", err)
		return scimerr.ScimError{Status: http.StatusInternalServerError, Detail: "Something went wrong on our side. It has been logged."}
	}
	out := scimerr.ScimError{Detail: e.Message}
	switch e.Code {
	case org.CodeNotFound:
		out.Status = http.StatusNotFound
	case org.CodeAlreadyMember, org.CodeEmailTaken, org.CodeConflict:
		out.Status, out.ScimType = http.StatusConflict, scimerr.ScimTypeUniqueness
	case org.CodeLastOwner:
		out.Status = http.StatusConflict
	case org.CodeSeatLimit, org.CodeForbidden:
		out.Status = http.StatusForbidden
	case org.CodeSCIMVersion:
		out.Status = http.StatusPreconditionFailed
	case org.CodeSCIMLocked:
		out.Status, out.ScimType = http.StatusBadRequest, scimerr.ScimTypeMutability
	case org.CodeUnauthenticated:
		out.Status = http.StatusUnauthorized
	case org.CodeMisconfigured:
		h.log.Error("A SCIM request failed on Lobby's configuration.", "err", e.Message)
		out.Status = http.StatusInternalServerError
	default:
		out.Status, out.ScimType = http.StatusBadRequest, scimerr.ScimTypeInvalidValue
		switch e.Field {
		case "filter":
			out.ScimType = scimerr.ScimTypeInvalidFilter
		case "userName":
			out.Detail = "userName must be the person's email address: " + e.Message
		case "":
		default:
			out.Detail = e.Field + ": " + e.Message
		}
	}
	return out
}

// badValue is a 400 invalidValue error with a message.
func badValue(detail string) scimerr.ScimError {
	return scimerr.ScimError{Status: http.StatusBadRequest, ScimType: scimerr.ScimTypeInvalidValue, Detail: detail}
}

// badFilter is a 400 invalidFilter error with a message.
func badFilter(detail string) scimerr.ScimError {
	return scimerr.ScimError{Status: http.StatusBadRequest, ScimType: scimerr.ScimTypeInvalidFilter, Detail: detail}
}

// badPath is a 400 invalidPath error with a message.
func badPath(detail string) scimerr.ScimError {
	return scimerr.ScimError{Status: http.StatusBadRequest, ScimType: scimerr.ScimTypeInvalidPath, Detail: detail}
}
