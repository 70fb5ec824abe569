// Package sidecar is the asset.Handler for external manifest stores
// (.c2pa files, media type application/c2pa): the file is the JUMBF manifest
// store itself, so reading checks the c2pa superbox header and returns the
// bytes, and embedding replaces the whole file.
package sidecar
