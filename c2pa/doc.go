// Package c2pa is provgraph's C2PA engine core: the manifest store model
// (manifests, claims v1 and v2, assertions, hashed URIs), the validation
// algorithm of c2pa-rs with its report shaped like Reader::json(), and the
// builder that signs assets with a new manifest.
//
// Read (or ReadStore for a bare .c2pa store) returns a *Report; Sign and
// SignSidecar stream an asset from an io.ReaderAt to an io.Writer with a
// claim v2 manifest built from a ManifestDefinition. Failures that stop
// c2pa-rs from producing a report are *ReadError values named like the
// c2pa-rs errors (JumbfNotFound, UnknownAlgorithm, PrereleaseError, ...).
//
// Both stream the asset. Signing into a file hashes and writes it in one
// pass of three stages (reading, hashing, writing) that run side by side;
// a JPEG's full segment walk, which reads all of its scan data, is not a
// pass of its own: the work goes on from the segments before the first
// scan, a follower checks the rest from the bytes the pass reads, and in
// the rare file where the guess is wrong (an APP0 or APP11 segment after
// the scan, or a broken tail) the work is redone from the full walk
// (asset.Speculator). bench/c2pa.sh measures both against crypto/sha256.
//
// The engine reads containers only through c2pa/asset handlers, JUMBF only
// through c2pa/jumbf, and signatures and trust only through c2pa/cose and
// c2pa/trust. It knows no HTTP, database or service code: remote manifests
// are fetched only by a caller-supplied ReadOptions.FetchRemote.
package c2pa
