package c2pa

import (
	"errors"
	"fmt"
)

// ReadError is a read failure that prevents any report from being produced,
// named like the c2pa-rs error it mirrors so that callers and tests can compare
// with c2pa-rs ("JumbfNotFound", "UnknownAlgorithm", "PrereleaseError",
// "RemoteManifestUrl", ...). Its Error text is the c2pa-rs Debug form, e.g.
// `C2pa(JumbfNotFound)` or `C2pa(RemoteManifestUrl("https://..."))`.
type ReadError struct {
	Name   string // c2pa-rs error variant name
	Detail string // variant argument (a URL or a message), may be empty
	Err    error  // underlying cause, if any
}

func (e *ReadError) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("C2pa(%s(%q))", e.Name, e.Detail)
	}
	return fmt.Sprintf("C2pa(%s)", e.Name)
}

// Unwrap returns the underlying cause.
func (e *ReadError) Unwrap() error { return e.Err }

// Is matches another *ReadError with the same Name, so the sentinels below
// work with errors.Is whatever the detail.
func (e *ReadError) Is(target error) bool {
	t, ok := target.(*ReadError)
	return ok && t.Name == e.Name
}

// Sentinel read errors; test with errors.Is.
var (
	// ErrJumbfNotFound: the asset carries no manifest store.
	ErrJumbfNotFound = &ReadError{Name: "JumbfNotFound"}
	// ErrRemoteManifestURL: no embedded store, but XMP points to a remote one
	// and remote fetching is off. The Detail holds the URL.
	ErrRemoteManifestURL = &ReadError{Name: "RemoteManifestUrl"}
	// ErrRemoteManifestFetch: remote fetching is on (ReadOptions.FetchRemote)
	// but the store could not be fetched. The Detail holds the cause, as
	// c2pa-rs's RemoteManifestFetch does; the asset gets no report (c2pa-rs
	// turns this into manifest.inaccessible only for ingredients).
	ErrRemoteManifestFetch = &ReadError{Name: "RemoteManifestFetch"}
	// ErrUnknownAlgorithm: the active claim has no usable hash algorithm.
	ErrUnknownAlgorithm = &ReadError{Name: "UnknownAlgorithm"}
	// ErrPrerelease: the store was written by a pre-1.0 implementation.
	ErrPrerelease = &ReadError{Name: "PrereleaseError"}
	// ErrJumbfParse: the store bytes are not well-formed JUMBF.
	ErrJumbfParse = &ReadError{Name: "JumbfParseError"}
	// ErrBlockNotFound: the outer superbox is not a C2PA manifest store.
	ErrBlockNotFound = &ReadError{Name: "C2paBlockNotFound"}
	// ErrClaimDecoding: a claim could not be decoded in a way that aborts reading.
	ErrClaimDecoding = &ReadError{Name: "ClaimDecoding"}
	// ErrClaimVersionTooNew: the claim box label names a version above 2.
	ErrClaimVersionTooNew = &ReadError{Name: "ClaimVersionTooNew"}
	// ErrClaimBoxVersion: a v1 claim was found in a c2pa.claim.v2 box.
	ErrClaimBoxVersion = &ReadError{Name: "ClaimVersion"}
	// ErrUnsupportedType: no container handler for the media type.
	ErrUnsupportedType = &ReadError{Name: "UnsupportedType"}
	// ErrInvalidAsset: the container is malformed.
	ErrInvalidAsset = &ReadError{Name: "InvalidAsset"}
	// ErrAssertionMissing: an assertion box is not referenced by its claim.
	ErrAssertionMissing = &ReadError{Name: "AssertionMissing"}
	// ErrTooManyAssertions: a manifest holds more assertions than allowed.
	ErrTooManyAssertions = &ReadError{Name: "TooManyAssertions"}
	// ErrClaimMultiple: a manifest holds more than one claim box.
	ErrClaimMultiple = &ReadError{Name: "ClaimMultiple"}
	// ErrUnsupportedFeature: a construct c2pa-rs refuses (e.g. VCs in a v2 claim).
	ErrUnsupportedFeature = &ReadError{Name: "UnsupportedFeature"}
	// ErrCyclicIngredients: ingredient manifests reference each other in a cycle.
	ErrCyclicIngredients = &ReadError{Name: "CyclicIngredients"}
	// ErrTooManyManifestStores: more than one store in the asset.
	ErrTooManyManifestStores = &ReadError{Name: "TooManyManifestStores"}
)

func readErr(base *ReadError, detail string, cause error) *ReadError {
	return &ReadError{Name: base.Name, Detail: detail, Err: cause}
}

// Signing errors.
var (
	// ErrNoSigner reports Sign called without a signer.
	ErrNoSigner = errors.New("c2pa: no signer")
	// ErrBoxSizeTooSmall reports a signature larger than the signer's reserve size.
	ErrBoxSizeTooSmall = errors.New("c2pa: signature larger than reserved size")
	// ErrStoreSizeChanged reports a store whose length changed between the
	// placeholder and the final pass (it must not).
	ErrStoreSizeChanged = errors.New("c2pa: manifest store size changed while signing")
	// ErrKey reports a private key or certificate chain that cannot be used.
	ErrKey = errors.New("c2pa: unusable signing key or certificate chain")
	// ErrDefinition reports an invalid manifest definition.
	ErrDefinition = errors.New("c2pa: invalid manifest definition")
)
