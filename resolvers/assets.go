package resolvers

import (
	"provgraph/apierror"
	"provgraph/assets"
	"provgraph/graph"
)

// scanAssetsPayload shapes the result of assets.Service.Scan for GraphQL:
// a refused or failed file carries its API error code and message.
func scanAssetsPayload(res *assets.ScanResult) *graph.ScanAssetsPayload {
	out := &graph.ScanAssetsPayload{
		Collection:        res.Collection,
		CreatedCollection: res.CreatedCollection,
		Results:           make([]*graph.ScanAssetResult, len(res.Files)),
	}
	if res.Collection != nil {
		out.CollectionID = &res.Collection.ID
	}
	for i, f := range res.Files {
		r := &graph.ScanAssetResult{FileName: f.FileName, Asset: f.Asset, Scan: f.Scan}
		if f.Err != nil {
			r.Error = &graph.FileError{Code: string(apierror.CodeOf(f.Err)), Message: apierror.Message(f.Err)}
		}
		out.Results[i] = r
	}
	return out
}
