package c2pa

import (
	"strings"

	"provgraph/c2pa/status"
)

// Namespaces c2pa.metadata may bind, with the URI each prefix must map to
// (C2PA 2.2 Appendix B; C2PA-NOTES §6.4), plus accepted older URIs.
var metadataSchemas = map[string][]string{
	"xmp":         {"http://ns.adobe.com/xap/1.0/"},
	"xmpMM":       {"http://ns.adobe.com/xap/1.0/mm/"},
	"xmpTPg":      {"http://ns.adobe.com/xap/1.0/t/pg/"},
	"crs":         {"http://ns.adobe.com/camera-raw-settings/1.0/"},
	"pdf":         {"http://ns.adobe.com/pdf/1.3/"},
	"dc":          {"http://purl.org/dc/elements/1.1/"},
	"Iptc4xmpExt": {"http://iptc.org/std/Iptc4xmpExt/2008-02-29/"},
	"exif":        {"http://ns.adobe.com/exif/1.0/"},
	"exifEX":      {"http://cipa.jp/exif/1.0/", "http://cipa.jp/exif/1.0/exifEX", "http://cipa.jp/exif/2.32/"},
	"photoshop":   {"http://ns.adobe.com/photoshop/1.0/"},
	"tiff":        {"http://ns.adobe.com/tiff/1.0/"},
	"xmpDM":       {"http://ns.adobe.com/xmp/1.0/DynamicMedia/"},
	"plus":        {"http://ns.useplus.org/ldf/xmp/1.0/"},
}

// isMetadataLabel matches metadata assertion labels (c2pa.metadata and
// custom "<namespace>.metadata"), not the assertion-metadata label.
func isMetadataLabel(base string) bool {
	return strings.HasSuffix(base, ".metadata") && base != "c2pa.assertion.metadata"
}

// checkMetadata flags metadata assertions whose JSON-LD is inconsistent
// (v2 claims): an empty @context, a field prefix the context does not bind
// or, for c2pa.metadata, a standard prefix bound to another URI.
// (c2pa-rs also checks c2pa.metadata fields against the Appendix B field
// list, which is not reproduced here.)
func (v *validator) checkMetadata(m *Manifest) {
	for _, a := range m.Assertions {
		if !isMetadataLabel(a.BaseLabel()) || (a.Kind != KindJSON && a.Kind != KindCBOR) {
			continue
		}
		var val any
		var err error
		if a.Kind == KindJSON {
			val, err = jsonToValue(a.Data)
		} else {
			val, err = cborToValue(a.Data)
		}
		obj, ok := val.(*Object)
		if err != nil || !ok {
			continue
		}
		if !metadataValid(a.BaseLabel() == "c2pa.metadata", obj) {
			v.log.Failure(status.AssertionMetadataDisallowed, m.AssertionURI(a.Label), "metadata assertion contains disallowed field")
		}
	}
}

func metadataValid(standard bool, obj *Object) bool {
	ctxVal, _ := obj.Get("@context")
	ctx, ok := ctxVal.(*Object)
	if !ok || ctx.Len() == 0 {
		return false
	}
	if standard {
		for i, ns := range ctx.keys {
			allowed, known := metadataSchemas[ns]
			uri, _ := ctx.vals[i].(string)
			if known && !containsString(allowed, uri) {
				return false
			}
		}
	}
	for _, k := range obj.keys {
		if prefix, _, ok := strings.Cut(k, ":"); ok {
			if _, bound := ctx.Get(prefix); !bound {
				return false
			}
		}
	}
	return true
}

func containsString(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
