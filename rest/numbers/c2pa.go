package numbers

import (
	"bytes"
	"fmt"
	"net/http"

	"provgraph/article50"
	"provgraph/ent"
	"provgraph/ent/asset"
	"provgraph/signing"
)

// c2paResponse is the body of POST /assets/{nid}/c2pa/: where to download
// the signed file, and its CID, which differs from the asset's NID since
// signing embeds a manifest.
type c2paResponse struct {
	URL string `json:"url"`
	CID string `json:"cid"`
}

// c2paRequest is the optional JSON body of POST /assets/{nid}/c2pa/. The
// Numbers API takes none and signs without an AI disclosure; a client may
// give an Article 50 declaration (a provgraph extension) to sign it in.
type c2paRequest struct {
	Declaration *article50.Declaration `json:"declaration"`
}

// c2pa serves POST /assets/{nid}/c2pa/: signs the caller's asset whose
// NID is nid (its latest registration of those bytes) with C2PA, or, for
// an asset signed already, returns a fresh URL of that signature.
func (a *api) c2pa(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in c2paRequest
	if mediaType(r) == "application/json" {
		body, err := readJSONBody(r)
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(body)) > 0 {
			if err := decodeJSON(body, &in); err != nil {
				return err
			}
		}
	}
	as, err := a.d.Client.Asset.Query().
		Where(asset.Cid(r.PathValue("nid"))).
		Order(ent.Desc(asset.FieldID)).
		First(ctx)
	if err != nil {
		return err
	}
	var res signing.Result
	if in.Declaration != nil {
		res, err = a.d.Signing.SignAsset(ctx, as.ID, *in.Declaration, nil)
	} else {
		res, err = a.d.Signing.SignAssetUndeclared(ctx, as.ID, nil)
	}
	if err != nil {
		return err
	}
	if res.URLs.SignedCID == "" {
		return fmt.Errorf("numbers: asset %d is signed without a signed CID", as.ID)
	}
	writeJSON(w, http.StatusOK, c2paResponse{URL: res.URLs.SignedAsset, CID: res.URLs.SignedCID})
	return nil
}
