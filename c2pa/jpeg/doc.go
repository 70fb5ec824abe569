// Package jpeg is the asset.Handler for JPEG: the manifest store travels in
// APP11 (FF EB) JPEG XT marker segments, split into 64 000-byte chunks with
// CI "JP", En 0x0211 and a 1-based packet sequence Z, every continuation
// repeating the store's LBox and TBox (C2PA-NOTES §5.1). Placement, reading
// and box naming follow c2pa-rs's jpeg_io so files interoperate byte for byte.
//
// The package walks marker segments through an io.ReaderAt with a fixed
// buffer; it never decodes or holds image data.
package jpeg
