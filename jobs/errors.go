package jobs

import (
	"errors"
	"fmt"

	"provgraph/apierror"
)

// Limits of one job.
const (
	// MaxFiles is the most files a scan job or workflow run takes.
	MaxFiles = 1000
	// MaxAssets is the most assets a sign job or workflow run takes.
	MaxAssets = 1000
	// MaxVerifyFiles and MaxVerifyBytes bound a verify job (the OP
	// Protocol's batch rules).
	MaxVerifyFiles = 20
	MaxVerifyBytes = 200 << 20
)

var (
	// ErrNoFiles is returned for a job with nothing to do.
	ErrNoFiles = &apierror.InvalidFieldError{Field: "files", Reason: "at least one file is required"}
	// ErrTargetChoice is returned when a sign job names both or neither
	// of assetIds and collectionId.
	ErrTargetChoice = &apierror.InvalidFieldError{Field: "assetIds", Reason: "give exactly one of assetIds and collectionId"}
	// ErrEmptyCollection is returned for a job over a collection with no
	// assets.
	ErrEmptyCollection = &apierror.InvalidFieldError{Field: "collectionId", Reason: "the collection has no assets"}

	// errItemDone means another worker finished the item first: the work
	// of this attempt is rolled back and the item left as it is.
	errItemDone = errors.New("jobs: item finished by another attempt")
	// errSkip means the item needs no work (finished, or cancelled).
	errSkip = errors.New("jobs: nothing to do for the item")
)

func tooMany(field string, max int) error {
	return &apierror.InvalidFieldError{Field: field, Reason: fmt.Sprintf("at most %d per job", max)}
}
