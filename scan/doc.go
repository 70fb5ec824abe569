// Package scan reports how a media file says it was made: C2PA manifest
// presence, XMP, EXIF and generator text chunks, the AI model they name, and a
// verdict on whether the file carries a machine-readable AI marking (EU AI Act
// Article 50). It reads metadata only, never pixels or media samples, through
// an io.ReaderAt with a byte budget, and it does not parse C2PA itself.
package scan
