package timeline

import (
	"errors"
	"fmt"
)

// Error codes, mapped to HTTP statuses and exit codes by the outer layers.
const (
	EINVALID  = "invalid"   // the caller sent something wrong
	ENOTFOUND = "not_found" // no such thing
	EMOVED    = "moved"     // a former slug: the thing lives at a new slug
	ECONFLICT = "conflict"  // the request cannot be applied to the current state
	EGONE     = "gone"      // withdrawn: it was published and is no longer
	// EUNAVAILABLE: the data cannot be read just now, as while a replica's
	// database file is being replaced; the same request later may succeed.
	EUNAVAILABLE = "unavailable"
	EINTERNAL    = "internal" // our fault
)

// Error is an application error whose message is safe to show to a user.
type Error struct {
	Code    string
	Message string
	// Slug is the current slug when Code is EMOVED.
	Slug string
	// Story is the story a withdrawn event was in, when Code is EGONE.
	Story StoryRef
	// Field and Value name what was invalid, where the error is about one
	// field of a value such as a Filter.
	Field, Value string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of an
// *Error, a generic sentence for anything else.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
