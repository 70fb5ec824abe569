package all

import (
	_ "provgraph/c2pa/bmff"    // MP4, MOV, M4A, HEIC, HEIF, AVIF (C2PA uuid box)
	_ "provgraph/c2pa/gif"     // GIF (C2PA_GIF application extension)
	_ "provgraph/c2pa/jpeg"    // JPEG (APP11)
	_ "provgraph/c2pa/mp3"     // MP3 (ID3v2 GEOB frame)
	_ "provgraph/c2pa/pdf"     // PDF, read-only (embedded file /AFRelationship /C2PA_Manifest)
	_ "provgraph/c2pa/png"     // PNG (caBX)
	_ "provgraph/c2pa/riff"    // WebP, WAV, AVI (C2PA chunk)
	_ "provgraph/c2pa/sidecar" // .c2pa manifest stores
	_ "provgraph/c2pa/svg"     // SVG (<c2pa:manifest> base64 in <metadata>)
	_ "provgraph/c2pa/tiff"    // TIFF, BigTIFF, DNG (tag 0xCD41)
)
