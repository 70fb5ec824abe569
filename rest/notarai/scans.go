package notarai

import (
	"net/http"

	"provgraph/assets"
	"provgraph/ent"
)

// scanMetadata is what the scan of one file found.
type scanMetadata struct {
	HasC2PA      bool           `json:"hasC2PA"`
	HasXMP       bool           `json:"hasXMP"`
	AIModel      *string        `json:"aiModel"`
	RawFields    map[string]any `json:"rawFields"`
	C2PAManifest any            `json:"c2paManifest"`
}

// scanResult is the outcome of one file: a record and its metadata, or
// why the file was refused.
type scanResult struct {
	FileName string        `json:"fileName"`
	RecordID string        `json:"recordId,omitempty"`
	Metadata *scanMetadata `json:"metadata,omitempty"`
	Error    string        `json:"error,omitempty"`
}

// scanResponse answers POST /scans and uploads into a collection.
type scanResponse struct {
	CollectionID      *string      `json:"collectionId"`
	CreatedCollection bool         `json:"createdCollection"`
	Results           []scanResult `json:"results"`
}

// scans serves POST /scans: repeated file fields, and collectionId or
// collectionName (with collectionDescription).
func (a *api) scans(r *http.Request) (reply, error) {
	f, err := parseForm(r)
	defer f.close()
	if err != nil {
		return reply{}, err
	}
	var req assets.ScanRequest
	if text, given := f.value("collectionId"); given {
		id, err := a.decodeID(KindCollection, "collectionId", text)
		if err != nil {
			return reply{}, err
		}
		req.CollectionID = &id
	}
	if name, given := f.value("collectionName"); given {
		if req.CollectionID != nil {
			return reply{}, invalidField("collectionId", "give either collectionId or collectionName, not both")
		}
		req.CollectionName = &name
		if desc, given := f.value("collectionDescription"); given {
			req.CollectionDescription = &desc
		}
	}
	return a.scanFiles(r, f, req)
}

// scanFiles scans the files of f with req's collection choice. When every
// file is refused (and no collection was made) the request fails with the
// first file's error, so that one refused file is a 413 or a 415; a batch
// with some files stored is a 200 listing each refusal.
func (a *api) scanFiles(r *http.Request, f *form, req assets.ScanRequest) (reply, error) {
	ups, closeUps, err := f.open(a.o.MaxFileBytes, maxScanFiles)
	defer closeUps()
	if err != nil {
		return reply{}, err
	}
	if req.Files, err = accepted(ups); err != nil {
		return reply{}, err
	}
	res, err := a.d.Assets.Scan(r.Context(), req)
	if err != nil {
		return reply{}, err
	}
	out := scanResponse{CreatedCollection: res.CreatedCollection, Results: make([]scanResult, len(ups))}
	if res.Collection != nil {
		id := a.ids.Encode(KindCollection, res.Collection.ID)
		out.CollectionID = &id
	}
	var first error
	stored, next := 0, 0
	for i, u := range ups {
		out.Results[i].FileName = u.name
		fileErr := u.refused
		if fileErr == nil {
			fr := res.Files[next]
			next++
			if fileErr = fr.Err; fileErr == nil {
				stored++
				out.Results[i].RecordID = a.ids.Encode(KindRecord, fr.Asset.ID)
				out.Results[i].Metadata = metadataOf(fr.Scan)
				continue
			}
		}
		if first == nil {
			first = fileErr
		}
		out.Results[i].Error = itemError(fileErr)
	}
	if stored == 0 && !res.CreatedCollection {
		return reply{}, first
	}
	return ok(out), nil
}

// metadataOf is the metadata of a stored scan.
func metadataOf(s *ent.Scan) *scanMetadata {
	m := &scanMetadata{HasC2PA: s.HasC2pa, HasXMP: s.HasXmp, RawFields: s.RawFields}
	if s.AiModel != "" {
		model := s.AiModel
		m.AIModel = &model
	}
	if m.RawFields == nil {
		m.RawFields = map[string]any{}
	}
	if s.Report != nil {
		m.C2PAManifest = s.Report["c2paManifest"]
	}
	return m
}
