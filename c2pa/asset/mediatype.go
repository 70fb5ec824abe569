package asset

import "io"

// MediaTypeReader is implemented by handlers that serve several media
// types which the first SniffLen bytes cannot tell apart (a DNG is a TIFF
// whose IFD0 has a DNGVersion tag): it names the asset's media type from
// its structure, or "" when it cannot.
type MediaTypeReader interface {
	ReadMediaType(r io.ReaderAt, size int64) string
}
