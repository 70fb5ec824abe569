package resolvers

import (
	"provgraph/apierror"
	"provgraph/article50"
	"provgraph/graph"
	"provgraph/signing"
)

// declarationOf maps the GraphQL declaration onto article50's, which
// validates it.
func declarationOf(in graph.DeclarationInput) article50.Declaration {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return article50.Declaration{
		AIModel:                 in.AiModel,
		CustomModel:             str(in.CustomModel),
		ModificationType:        in.ModificationType,
		ModificationDescription: str(in.ModificationDescription),
		Purpose:                 in.Purpose,
		PurposeContext:          str(in.PurposeContext),
		HumanReview:             in.HumanReview,
		ReviewerName:            str(in.ReviewerName),
		Organization:            str(in.Organization),
	}
}

// signAssetsPayload maps the service's results onto the GraphQL payload;
// a failed asset carries its API error code and message.
func signAssetsPayload(results []signing.Result) *graph.SignAssetsPayload {
	p := &graph.SignAssetsPayload{Count: len(results), Results: make([]*graph.SignResult, len(results))}
	for i, res := range results {
		out := &graph.SignResult{AssetID: res.AssetID, Status: graph.SignStatus(res.Status)}
		if res.Err != nil {
			out.Error = &graph.SignError{Code: string(apierror.CodeOf(res.Err)), Message: apierror.Message(res.Err)}
		} else {
			secs := int(res.URLs.ExpiresIn.Seconds())
			out.SignedAssetURL = &res.URLs.SignedAsset
			out.CertificateURL = &res.URLs.Certificate
			out.URLExpiresInSeconds = &secs
			out.Verification = res.Verification
		}
		p.Results[i] = out
	}
	return p
}
