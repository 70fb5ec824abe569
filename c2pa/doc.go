// Package c2pa is provgraph's C2PA engine core: the manifest store model
// (manifests, claims v1 and v2, assertions, hashed URIs), the validation
// algorithm that produces a report shaped like c2pa-rs's Reader JSON, and the
// builder that signs assets with a new manifest.
//
// It reads assets only through c2pa/asset handlers and JUMBF only through
// c2pa/jumbf; it knows no HTTP, database or service code, and never fetches a
// remote manifest unless ReadOptions asks for it.
package c2pa
