// Package riff is the asset.Handler for RIFF containers — WebP, WAV and AVI:
// the manifest store is the data of a "C2PA" chunk appended as the last
// child of the first (top-level) RIFF chunk, padded to an even length; the
// data-hash exclusion covers the chunk header and data but not the pad byte
// (C2PA-NOTES §5). Reading and placement follow c2pa-rs's riff_io.
//
// Only chunk headers are read; media data is never loaded.
package riff
