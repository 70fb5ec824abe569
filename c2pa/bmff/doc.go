// Package bmff is the asset.Handler for ISO base media files — MP4, MOV,
// M4A, HEIC, HEIF and AVIF — and the bounded box walker the BMFF hard
// bindings (c2pa.hash.bmff.v2/.v3) are computed over. The manifest store is
// carried in a top-level C2PA uuid box placed after ftyp (C2PA-NOTES §4.3).
//
// Only box headers and the few boxes the layout needs are read; media data
// is never loaded. Walking follows c2pa-rs's bmff_io so that xpaths select
// the same boxes.
package bmff
