// Package png is the asset.Handler for PNG: the manifest store is the data
// of a caBX chunk placed immediately after IHDR (C2PA-NOTES §5.2), and the
// data-hash exclusion covers the whole chunk (length, type, data and CRC).
// Reading, placement and box naming follow c2pa-rs's png_io.
//
// Only chunk headers are read; image data is never loaded.
package png
