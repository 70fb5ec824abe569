// Package tiff is the asset.Handler for TIFF, BigTIFF and DNG: the manifest
// store is the value of tag 0xCD41 (type 7, UNDEFINED). As c2pa-rs writes
// it, a single-page file gets a clone of IFD0 with the tag appended to the
// file and a multi-page file a last IFD holding only the tag, the store
// written last; the data-hash exclusions cover the store and the entry's
// count field (C2PA-NOTES §5).
//
// Only IFDs are read; image data is never loaded or moved.
package tiff
