// Package svg is the asset.Handler for SVG: the manifest store is the
// base64 text of a <c2pa:manifest> element, the first child of <metadata>
// under the <svg> root, with xmlns:c2pa="http://c2pa.org/manifest" on the
// root; the data-hash exclusion covers only the base64 text (C2PA-NOTES
// §5). The document is tokenised as XML, so comments and CDATA sections
// cannot stand in for the element; reading and placement follow c2pa-rs's
// svg_io, but every byte outside the edits is kept as it was.
package svg
