package assets

import (
	"fmt"

	"provgraph/apierror"
)

// FileError is why one uploaded file was refused. It wraps one of
// apierror.ErrFileTooLarge, apierror.ErrUnsupportedMediaType or
// apierror.ErrInvalidFile, so apierror.CodeOf gives its API code.
type FileError struct {
	// FileName is the name the client gave the file.
	FileName string
	// Err is the sentinel the refusal wraps.
	Err error
	// Detail says what was wrong, for a human.
	Detail string
}

// Error implements error.
func (e *FileError) Error() string {
	return fmt.Sprintf("%s: %v: %s", e.FileName, e.Err, e.Detail)
}

// Unwrap returns the sentinel, for errors.Is and apierror.CodeOf.
func (e *FileError) Unwrap() error { return e.Err }

// errCollectionChoice is the error of a request that names both an existing
// collection and a new one.
var errCollectionChoice = &apierror.InvalidFieldError{
	Field:  "collectionId",
	Reason: "give either collectionId or collectionName, not both",
}
