package assets

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/asset"
	entscan "provgraph/ent/scan"
	"provgraph/scan"
)

// maxFileNameBytes is the longest file name kept (the Asset schema's
// limit).
const maxFileNameBytes = 1024

// record writes the Asset and Scan of a stored file, links the asset to
// col (when set) and records EventScanned, all in the transaction of ctx.
func (s *Service) record(ctx context.Context, name string, f *ingested, col *ent.Collection) (*ent.Asset, *ent.Scan, error) {
	client := db.ClientFrom(ctx, s.client)
	create := client.Asset.Create().
		SetFileName(CleanFileName(name)).
		SetMediaType(f.mediaType).
		SetSize(f.size).
		SetSha256(f.sha256).
		SetCid(f.cid).
		SetOriginalBlobKey(f.key).
		SetStatus(asset.StatusScanned)
	if col != nil {
		create.AddCollectionIDs(col.ID)
	}
	a, err := create.Save(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("assets: recording %s: %w", name, err)
	}
	rep := f.report
	report, err := toMap(rep)
	if err != nil {
		return nil, nil, fmt.Errorf("assets: encoding the scan of %s: %w", name, err)
	}
	raw := make(map[string]any, len(rep.RawFields))
	for k, v := range rep.RawFields {
		raw[k] = v
	}
	sc, err := client.Scan.Create().
		SetAssetID(a.ID).
		SetHasC2pa(rep.HasC2PA).
		SetHasXmp(rep.HasXMP).
		SetNillableAiModel(rep.AIModel).
		SetVerdict(verdictOf(rep.Verdict)).
		SetReason(rep.Reason).
		SetWarnings(rep.Warnings).
		SetRawFields(raw).
		SetReport(report).
		Save(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("assets: recording the scan of %s: %w", name, err)
	}
	_, err = s.events.Record(ctx, EventScanned, a.ID, map[string]any{
		"fileName": a.FileName,
		"sha256":   a.Sha256,
		"scanId":   sc.ID,
		"verdict":  string(sc.Verdict),
	})
	if err != nil {
		return nil, nil, err
	}
	return a, sc, nil
}

// verdictOf maps the scanner's verdict onto the stored enum.
func verdictOf(v scan.Verdict) entscan.Verdict {
	switch v {
	case scan.VerdictDeclaredAI:
		return entscan.VerdictDeclaredAI
	case scan.VerdictHintedAI:
		return entscan.VerdictHintedAI
	default:
		return entscan.VerdictNoAIMarking
	}
}

// toMap turns a scan report into the JSON object stored with the scan.
func toMap(rep *scan.Report) (map[string]any, error) {
	b, err := json.Marshal(rep)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// CleanFileName keeps the last element of a client's file name (browsers
// and scripts may send a path), valid UTF-8 and within the schema's limit:
// the name an asset (or a job item) keeps.
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(strings.TrimSpace(name), "\uFFFD")
	for len(name) > maxFileNameBytes {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" {
		return "upload"
	}
	return name
}

// containerOf names the container format a walked media type is reported
// under in the scanner's warnings ("" for the others).
func containerOf(mediaType string) string {
	switch mediaType {
	case scan.MediaJPEG:
		return "jpeg"
	case scan.MediaPNG:
		return "png"
	case scan.MediaGIF:
		return "gif"
	case scan.MediaWebP, scan.MediaWAV, scan.MediaAVI:
		return "riff"
	case scan.MediaTIFF, scan.MediaDNG:
		return "tiff"
	case scan.MediaHEIC, scan.MediaHEIF, scan.MediaAVIF, scan.MediaMP4, scan.MediaMOV, scan.MediaM4A:
		return "bmff"
	}
	return ""
}

// unreadable returns why a scanned file cannot be read as the type its
// bytes announce, or "" when it can. A file is unreadable when the scanner
// found its container itself malformed (its walk broke, e.g. a JPEG that
// ends inside its header segments) and could read nothing from it: no
// manifest, no XMP, no metadata field. Damage the scanner reads past, or
// damage after the metadata (a JPEG cut inside its image data), leaves a
// stored asset whose scan lists warnings, and, when the file is signed, a
// C2PA report with the failed hash.
func unreadable(rep *scan.Report) string {
	if rep.HasC2PA || rep.HasXMP || len(rep.RawFields) > 0 {
		return ""
	}
	c := containerOf(rep.MediaType)
	if c == "" {
		return ""
	}
	for _, w := range rep.Warnings {
		if strings.HasPrefix(w, "scan: malformed "+c+" ") {
			return "the " + c + " structure cannot be read: " + strings.TrimPrefix(w, "scan: ")
		}
	}
	return ""
}
