// Package gif is the asset.Handler for GIF: the manifest store is the data
// of a "C2PA_GIF" application extension (authentication code 01 00 00),
// split into sub-blocks of at most 255 bytes, placed right after the
// header, logical screen descriptor and global color table; embedding one
// makes the file GIF89a. The data-hash exclusion covers the whole
// extension, from 0x21 through its terminator (C2PA-NOTES §5). Reading,
// placement and box naming follow c2pa-rs's gif_io.
//
// Block headers and sub-block lengths are read; image data is skipped.
package gif
