// Package jumbf reads and writes JUMBF boxes (ISO/IEC 19566-5) as C2PA uses
// them: the manifest store superbox, its manifests, assertion stores, claims
// and signatures, plus the self#jumbf= URIs that point into them.
//
// Parse turns bytes into a tree of *Box, bounded by Limits and rejecting what
// c2pa-rs rejects (description toggles without Requestable|Label, empty
// superbox labels, nesting deeper than 32, sizes past the end) with a
// *FormatError naming the offset. Box.Bytes writes the canonical form
// (32-bit sizes, never XLBox); Box.PayloadBytes is what a hashed URI hashes,
// and Box.Canonical is the tree c2pa-rs re-serialises before hashing.
// ParseURI and Resolve follow c2pa-rs's reading of self#jumbf= URIs.
// The package knows nothing of claims, COSE or asset containers.
package jumbf
