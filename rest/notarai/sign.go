package notarai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"provgraph/article50"
	"provgraph/signing"
)

// signRequest is the body of POST /sign.
type signRequest struct {
	// RecordID is one UUID or an array of up to 50.
	RecordID    json.RawMessage        `json:"recordId"`
	Declaration *article50.Declaration `json:"declaration"`
}

// signResult is the outcome of signing one record.
type signResult struct {
	RecordID            string `json:"recordId"`
	Status              string `json:"status"`
	SignedAssetURL      string `json:"signedAssetUrl,omitempty"`
	CertificateURL      string `json:"certificateUrl,omitempty"`
	URLExpiresInSeconds int    `json:"urlExpiresInSeconds,omitempty"`
	VerifyURL           string `json:"verifyUrl,omitempty"`
	Error               string `json:"error,omitempty"`
}

// signBatch answers POST /sign with an array of records.
type signBatch struct {
	Results []signResult `json:"results"`
	Count   int          `json:"count"`
}

// decodeJSON reads a JSON body into v.
func decodeJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return invalid("unreadable body: " + err.Error())
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return invalid("a JSON body is required")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return invalid("the body is not valid JSON of the documented shape: " + err.Error())
	}
	return nil
}

// recordIDs reads a recordId field: one UUID (one is true) or an array.
func (a *api) recordIDs(field string, raw json.RawMessage) (ids []int, texts []string, one bool, err error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, false, invalidField(field, "is required")
	}
	var single string
	if json.Unmarshal(raw, &single) == nil {
		texts, one = []string{single}, true
	} else if json.Unmarshal(raw, &texts) != nil {
		return nil, nil, false, invalidField(field, "must be a UUID or an array of UUIDs")
	}
	if len(texts) == 0 || len(texts) > signing.MaxAssets {
		return nil, nil, false, invalidField(field, fmt.Sprintf("give 1 to %d record IDs", signing.MaxAssets))
	}
	ids = make([]int, len(texts))
	for i, t := range texts {
		if ids[i], err = a.decodeID(KindRecord, field, t); err != nil {
			if one || !errors.Is(err, errNotFound) {
				return nil, nil, one, err
			}
			ids[i] = 0 // not ours: reported on its own below
		}
	}
	return ids, texts, one, nil
}

// sign serves POST /sign. One record answers with its result, or with
// its error as the response's status and envelope (404, 422, 429); an
// array answers 200 with a result per record, a failure among them
// marked status "error".
func (a *api) sign(r *http.Request) (reply, error) {
	var req signRequest
	if err := decodeJSON(r, &req); err != nil {
		return reply{}, err
	}
	ids, texts, one, err := a.recordIDs("recordId", req.RecordID)
	if err != nil {
		return reply{}, err
	}
	if req.Declaration == nil {
		return reply{}, invalidField("declaration", "is required")
	}
	if err := signing.ValidateDeclaration(*req.Declaration); err != nil {
		return reply{}, err
	}
	ctx := r.Context()
	out := signBatch{Results: make([]signResult, len(ids)), Count: len(ids)}
	for i, id := range ids {
		res := signResult{RecordID: texts[i]}
		var sr signing.Result
		if id == 0 {
			err = errNotFound
		} else {
			sr, err = a.d.Signing.SignAsset(ctx, id, *req.Declaration, nil)
		}
		if err != nil {
			if one {
				return reply{}, err
			}
			res.Status, res.Error = "error", itemError(err)
		} else {
			res = a.signed(texts[i], sr)
		}
		out.Results[i] = res
	}
	if one {
		return ok(out.Results[0]), nil
	}
	return ok(out), nil
}

// signed is the result of a record signed (now or before).
func (a *api) signed(recordID string, sr signing.Result) signResult {
	res := signResult{
		RecordID:            recordID,
		Status:              "complete",
		SignedAssetURL:      sr.URLs.SignedAsset,
		CertificateURL:      sr.URLs.Certificate,
		URLExpiresInSeconds: int(sr.URLs.ExpiresIn.Seconds()),
	}
	if sr.Verification != nil {
		res.VerifyURL = a.d.Verifications.URL(sr.Verification)
	}
	return res
}

// declarationIn reads a required declaration field.
func declarationIn(raw json.RawMessage) (article50.Declaration, error) {
	var d article50.Declaration
	if len(raw) == 0 || string(raw) == "null" {
		return d, invalidField("declaration", "is required")
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return d, invalidField("declaration", "must be an object of the documented fields: "+err.Error())
	}
	return d, nil
}
