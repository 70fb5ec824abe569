package verify

import "slices"

// Tier is the headline verdict on a file's Content Credentials.
type Tier string

// The tiers, from most to least assurance.
const (
	// TierVerified: the manifest validates and its signer chains to a trusted anchor.
	TierVerified Tier = "verified"
	// TierSignedUntrusted: the manifest validates but its signer is not on the trust list.
	TierSignedUntrusted Tier = "signed_untrusted"
	// TierTampered: a hash no longer matches — the asset or an assertion changed after signing.
	TierTampered Tier = "tampered"
	// TierInvalid: a signature, certificate or structural failure.
	TierInvalid Tier = "invalid"
	// TierNoCredentials: no manifest store could be found.
	TierNoCredentials Tier = "no_credentials"
)

// Confidence says how firmly the tier can be relied on.
type Confidence string

// The confidences.
const (
	ConfidenceHigh   Confidence = "high"
	ConfidenceMedium Confidence = "medium"
	ConfidenceLow    Confidence = "low"
)

// EdgeCase qualifies a tier with the circumstance a reader should know.
type EdgeCase string

// The edge cases, in the order Assess looks for them.
const (
	EdgeNone EdgeCase = ""
	// EdgeRemoteUnreachable: the asset points to a remote manifest that was not (or could not be) fetched.
	EdgeRemoteUnreachable EdgeCase = "remote_manifest_unreachable"
	// EdgeMetadataStripped: no manifest, but the file's metadata shows it once had Content Credentials.
	EdgeMetadataStripped EdgeCase = "metadata_stripped"
	// EdgeExpiredWithTimestamp: the signer's certificate has expired, but a valid time-stamp proves it signed while valid.
	EdgeExpiredWithTimestamp EdgeCase = "expired_certificate_valid_timestamp"
	// EdgeSelfSigned: the signer's certificate is self-signed (a test or development signer).
	EdgeSelfSigned EdgeCase = "self_signed"
	// EdgeIngredientFailures: the active manifest is fine but an ingredient's credentials failed.
	EdgeIngredientFailures EdgeCase = "ingredient_failures"
	// EdgeUpdateManifest: the active manifest is an update manifest (no new hard binding of its own).
	EdgeUpdateManifest EdgeCase = "update_manifest"
)

// Facts are what Assess needs from a validation, independent of how the
// report was produced.
type Facts struct {
	// Manifest is true when a manifest store was read (embedded, sidecar or remote).
	Manifest bool
	// RemoteManifestURL is the remote store the asset references, if any.
	RemoteManifestURL string
	// ProvenanceHint is true when metadata (e.g. XMP history, dcterms:provenance) says credentials existed.
	ProvenanceHint bool
	// State is the c2pa-rs validation_state: "Trusted", "Valid" or "Invalid".
	State string
	// Failures are the active manifest's failure codes.
	Failures []string
	// IngredientFailures are the failure codes of the ingredient deltas.
	IngredientFailures []string
	// Successes are the active manifest's success codes.
	Successes []string
	// SelfSigned is true when the signer's certificate is its own issuer.
	SelfSigned bool
	// SignerExpiredNow is true when the signer's certificate is outside its validity at verification time.
	SignerExpiredNow bool
	// UpdateManifest is true when the active manifest is an update manifest.
	UpdateManifest bool
	// AIDeclared is true when a valid active manifest declares AI generation (an IPTC trainedAlgorithmicMedia-family digitalSourceType).
	AIDeclared bool
}

// Assessment is the human verdict.
type Assessment struct {
	Tier        Tier       `json:"tier"`
	Label       string     `json:"label"`
	Description string     `json:"description"`
	Confidence  Confidence `json:"confidence"`
	EdgeCase    EdgeCase   `json:"edgeCase,omitempty"`
	AIDeclared  bool       `json:"aiDeclared"`
}

// TierInfo is one row of the tier table.
type TierInfo struct {
	Tier        Tier
	Label       string
	Description string
	Confidence  Confidence
}

// Tiers is the tier table, documented once for every surface.
var Tiers = []TierInfo{
	{TierVerified, "Verified", "The Content Credentials are intact and were signed by a certificate on the trust list.", ConfidenceHigh},
	{TierSignedUntrusted, "Signed by an unknown signer", "The Content Credentials are intact, but the signer is not on the trust list, so who made them cannot be confirmed.", ConfidenceMedium},
	{TierTampered, "Tampered", "The file or its credentials changed after signing: a cryptographic hash no longer matches.", ConfidenceHigh},
	{TierInvalid, "Invalid credentials", "Content Credentials are present but failed validation: the signature, the certificate or the manifest structure is not acceptable.", ConfidenceMedium},
	{TierNoCredentials, "No Content Credentials", "The file carries no C2PA manifest, so nothing about its origin can be established from the file itself.", ConfidenceLow},
}

// EdgeCases explains each edge case in plain words.
var EdgeCases = map[EdgeCase]string{
	EdgeRemoteUnreachable:    "The file points to Content Credentials stored elsewhere, which could not be retrieved.",
	EdgeMetadataStripped:     "The file's metadata shows it once carried Content Credentials; they appear to have been removed.",
	EdgeExpiredWithTimestamp: "The signing certificate has since expired, but a trusted time-stamp proves the file was signed while it was valid.",
	EdgeSelfSigned:           "The signer used a self-signed certificate, which anyone can create.",
	EdgeIngredientFailures:   "The file's own credentials are intact, but the credentials of one of its ingredients failed validation.",
	EdgeUpdateManifest:       "The latest credentials are an update manifest that adds information without re-binding the content.",
}

// tamperCodes are the failures that mean bytes changed after signing.
var tamperCodes = []string{
	"assertion.dataHash.mismatch",
	"assertion.boxesHash.mismatch",
	"assertion.bmffHash.mismatch",
	"assertion.collectionHash.mismatch",
	"assertion.hashedURI.mismatch",
	"assertion.multiAssetHash.mismatch",
}

// tolerated are failures that do not make a manifest invalid (c2pa-rs's rule for Valid).
func tolerated(code string) bool {
	return code == "signingCredential.untrusted" || len(code) > 10 && code[:10] == "cawg.x509."
}

// Assess maps facts to an assessment. The tier follows the most serious
// finding: tampering, then any other failure, then trust.
func Assess(f Facts) Assessment {
	tier := tierOf(f)
	info := InfoFor(tier)
	a := Assessment{
		Tier:        tier,
		Label:       info.Label,
		Description: info.Description,
		Confidence:  info.Confidence,
		EdgeCase:    edgeOf(f, tier),
		AIDeclared:  f.AIDeclared && (tier == TierVerified || tier == TierSignedUntrusted),
	}
	switch a.EdgeCase {
	case EdgeIngredientFailures, EdgeExpiredWithTimestamp, EdgeUpdateManifest:
		if a.Confidence == ConfidenceHigh {
			a.Confidence = ConfidenceMedium
		}
	case EdgeSelfSigned, EdgeRemoteUnreachable:
		a.Confidence = ConfidenceLow
	}
	return a
}

func tierOf(f Facts) Tier {
	if !f.Manifest {
		return TierNoCredentials
	}
	all := append(slices.Clone(f.Failures), f.IngredientFailures...)
	for _, c := range f.Failures {
		if slices.Contains(tamperCodes, c) {
			return TierTampered
		}
	}
	for _, c := range all {
		if !tolerated(c) && !slices.Contains(tamperCodes, c) && !isIngredientOnly(c, f) {
			return TierInvalid
		}
	}
	switch f.State {
	case "Trusted":
		return TierVerified
	case "Valid":
		return TierSignedUntrusted
	}
	if len(f.IngredientFailures) > 0 && len(f.Failures) == 0 && slices.Contains(f.Successes, "claimSignature.validated") {
		// Only ingredients failed: the active manifest itself stands.
		if slices.Contains(f.Successes, "signingCredential.trusted") {
			return TierVerified
		}
		return TierSignedUntrusted
	}
	return TierInvalid
}

// isIngredientOnly reports whether code appears only among the ingredient
// deltas: an ingredient's failure qualifies the verdict (edge case) rather
// than deciding it.
func isIngredientOnly(code string, f Facts) bool {
	return !slices.Contains(f.Failures, code) && slices.Contains(f.IngredientFailures, code)
}

func edgeOf(f Facts, tier Tier) EdgeCase {
	switch {
	case !f.Manifest && f.RemoteManifestURL != "":
		return EdgeRemoteUnreachable
	case !f.Manifest && f.ProvenanceHint:
		return EdgeMetadataStripped
	case !f.Manifest:
		return EdgeNone
	case f.SignerExpiredNow && slices.Contains(f.Successes, "timeStamp.validated") && !slices.Contains(f.Failures, "signingCredential.expired"):
		return EdgeExpiredWithTimestamp
	case f.SelfSigned:
		return EdgeSelfSigned
	case len(f.IngredientFailures) > 0 && tier != TierTampered:
		return EdgeIngredientFailures
	case f.UpdateManifest:
		return EdgeUpdateManifest
	}
	return EdgeNone
}

// InfoFor returns the table row of a tier.
func InfoFor(t Tier) TierInfo {
	for _, i := range Tiers {
		if i.Tier == t {
			return i
		}
	}
	return TierInfo{Tier: t, Label: string(t), Confidence: ConfidenceLow}
}
