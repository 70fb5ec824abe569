// Package mp3 is the asset.Handler for MP3: the manifest store is the
// object of an ID3v2 GEOB frame with MIME type application/c2pa (the
// deprecated application/x-c2pa-manifest-store is read too), in the ID3v2
// tag at the start of the file; the data-hash exclusion covers only the
// object bytes (C2PA-NOTES §5). ID3v2.3 and v2.4 tags are read with
// unsynchronisation and bounded decompression; like c2pa-rs, a tag that
// does not parse holds no store.
//
// Only the tag is read; audio frames are never loaded.
package mp3
