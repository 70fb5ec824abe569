package status

// Success codes [C2PA §15.2.2].
const (
	ClaimSignatureValidated           Code = "claimSignature.validated"
	ClaimSignatureInsideValidity      Code = "claimSignature.insideValidity"
	SigningCredentialTrusted          Code = "signingCredential.trusted"
	SigningCredentialOCSPNotRevoked   Code = "signingCredential.ocsp.notRevoked"
	TimeStampValidated                Code = "timeStamp.validated"
	TimeStampTrusted                  Code = "timeStamp.trusted"
	AssertionHashedURIMatch           Code = "assertion.hashedURI.match"
	AssertionDataHashMatch            Code = "assertion.dataHash.match"
	AssertionBMFFHashMatch            Code = "assertion.bmffHash.match"
	AssertionBoxesHashMatch           Code = "assertion.boxesHash.match"
	AssertionCollectionHashMatch      Code = "assertion.collectionHash.match"
	AssertionMultiAssetHashMatch      Code = "assertion.multiAssetHash.match"
	AssertionAccessible               Code = "assertion.accessible"
	IngredientManifestValidated       Code = "ingredient.manifest.validated"
	IngredientClaimSignatureValidated Code = "ingredient.claimSignature.validated"
)

// Informational codes [C2PA §15.2.2].
const (
	AlgorithmDeprecated                          Code = "algorithm.deprecated"
	IngredientUnknownProvenance                  Code = "ingredient.unknownProvenance"
	ManifestUnknownProvenance                    Code = "manifest.unknownProvenance"
	SigningCredentialOCSPInaccessible            Code = "signingCredential.ocsp.inaccessible"
	SigningCredentialOCSPSkipped                 Code = "signingCredential.ocsp.skipped"
	TimeOfSigningInsideValidity                  Code = "timeOfSigning.insideValidity"
	TimeOfSigningOutsideValidity                 Code = "timeOfSigning.outsideValidity"
	TimeStampMalformed                           Code = "timeStamp.malformed"
	TimeStampMismatch                            Code = "timeStamp.mismatch"
	TimeStampOutsideValidity                     Code = "timeStamp.outsideValidity"
	TimeStampUntrusted                           Code = "timeStamp.untrusted"
	AssertionDataHashAdditionalExclusionsPresent Code = "assertion.dataHash.additionalExclusionsPresent"
	AssertionBMFFHashAdditionalExclusionsPresent Code = "assertion.bmffHash.additionalExclusionsPresent"
)

// Failure codes [C2PA §15.2.2].
const (
	AlgorithmUnsupported                  Code = "algorithm.unsupported"
	AssertionActionIngredientMismatch     Code = "assertion.action.ingredientMismatch"
	AssertionActionMalformed              Code = "assertion.action.malformed"
	AssertionActionRedacted               Code = "assertion.action.redacted"
	AssertionActionRedactionMismatch      Code = "assertion.action.redactionMismatch"
	AssertionBMFFHashMalformed            Code = "assertion.bmffHash.malformed"
	AssertionBMFFHashMismatch             Code = "assertion.bmffHash.mismatch"
	AssertionBoxesHashMalformed           Code = "assertion.boxesHash.malformed"
	AssertionBoxesHashMismatch            Code = "assertion.boxesHash.mismatch"
	AssertionBoxesHashUnknownBox          Code = "assertion.boxesHash.unknownBox"
	AssertionCloudDataActions             Code = "assertion.cloud-data.actions"
	AssertionCloudDataHardBinding         Code = "assertion.cloud-data.hardBinding"
	AssertionCloudDataMalformed           Code = "assertion.cloud-data.malformed"
	AssertionCBORInvalid                  Code = "assertion.cbor.invalid"
	AssertionCollectionHashIncorrectCount Code = "assertion.collectionHash.incorrectFileCount"
	AssertionCollectionHashInvalidURI     Code = "assertion.collectionHash.invalidURI"
	AssertionCollectionHashMalformed      Code = "assertion.collectionHash.malformed"
	AssertionCollectionHashMismatch       Code = "assertion.collectionHash.mismatch"
	AssertionDataHashMalformed            Code = "assertion.dataHash.malformed"
	AssertionDataHashMismatch             Code = "assertion.dataHash.mismatch"
	AssertionDataHashRedacted             Code = "assertion.dataHash.redacted"
	AssertionHashedURIMismatch            Code = "assertion.hashedURI.mismatch"
	AssertionInaccessible                 Code = "assertion.inaccessible"
	AssertionIngredientMalformed          Code = "assertion.ingredient.malformed"
	AssertionJSONInvalid                  Code = "assertion.json.invalid"
	AssertionMissing                      Code = "assertion.missing"
	AssertionMultiAssetHashMalformed      Code = "assertion.multiAssetHash.malformed"
	AssertionMultiAssetHashMissingPart    Code = "assertion.multiAssetHash.missingPart"
	AssertionMultiAssetHashMismatch       Code = "assertion.multiAssetHash.mismatch"
	AssertionMultipleHardBindings         Code = "assertion.multipleHardBindings"
	AssertionNotRedacted                  Code = "assertion.notRedacted"
	AssertionOutsideManifest              Code = "assertion.outsideManifest"
	AssertionSelfRedacted                 Code = "assertion.selfRedacted"
	AssertionTimestampMalformed           Code = "assertion.timestamp.malformed"
	AssertionUndeclared                   Code = "assertion.undeclared"
	ClaimCBORInvalid                      Code = "claim.cbor.invalid"
	ClaimHardBindingsMissing              Code = "claim.hardBindings.missing"
	ClaimMalformed                        Code = "claim.malformed"
	ClaimMissing                          Code = "claim.missing"
	ClaimMultiple                         Code = "claim.multiple"
	ClaimSignatureMissing                 Code = "claimSignature.missing"
	ClaimSignatureMismatch                Code = "claimSignature.mismatch"
	ClaimSignatureOutsideValidity         Code = "claimSignature.outsideValidity"
	GeneralError                          Code = "general.error"
	HashedURIMissing                      Code = "hashedURI.missing"
	HashedURIMismatch                     Code = "hashedURI.mismatch"
	IngredientClaimSignatureMissing       Code = "ingredient.claimSignature.missing"
	IngredientClaimSignatureMismatch      Code = "ingredient.claimSignature.mismatch"
	IngredientManifestMissing             Code = "ingredient.manifest.missing"
	IngredientManifestMismatch            Code = "ingredient.manifest.mismatch"
	ManifestCompressedInvalid             Code = "manifest.compressed.invalid"
	ManifestInaccessible                  Code = "manifest.inaccessible"
	ManifestMultipleParents               Code = "manifest.multipleParents"
	ManifestTimestampInvalid              Code = "manifest.timestamp.invalid"
	ManifestTimestampWrongParents         Code = "manifest.timestamp.wrongParents"
	ManifestUpdateInvalid                 Code = "manifest.update.invalid"
	ManifestUpdateWrongParents            Code = "manifest.update.wrongParents"
	SigningCredentialInvalid              Code = "signingCredential.invalid"
	SigningCredentialOCSPRevoked          Code = "signingCredential.ocsp.revoked"
	SigningCredentialOCSPUnknown          Code = "signingCredential.ocsp.unknown"
	SigningCredentialUntrusted            Code = "signingCredential.untrusted"
)

// Codes c2pa-rs emits that the C2PA specification does not list.
const (
	// SigningCredentialExpired is what c2pa-rs reports instead of
	// claimSignature.outsideValidity, which it never emits.
	SigningCredentialExpired    Code = "signingCredential.expired"
	AssertionMetadataDisallowed Code = "assertion.metadata.disallowed"
	ManifestUnreferenced        Code = "manifest.unreferenced"
	ClaimRequiredMissing        Code = "claim.required.missing"
	AssertionRequiredMissing    Code = "assertion.required.missing"
	IngredientHashedURIMismatch Code = "ingredient.hashedURI.mismatch"
	AdobePrerelease             Code = "com.adobe.prerelease"
)

// CAWG identity-assertion codes (X.509 and identity claims aggregation).
const (
	CAWGIdentityWellFormed             Code = "cawg.identity.well-formed"
	CAWGIdentityCBORInvalid            Code = "cawg.identity.cbor.invalid"
	CAWGIdentityAssertionMismatch      Code = "cawg.identity.assertion.mismatch"
	CAWGIdentityAssertionDuplicate     Code = "cawg.identity.assertion.duplicate"
	CAWGIdentityHardBindingMissing     Code = "cawg.identity.hard_binding_missing"
	CAWGIdentityPadInvalid             Code = "cawg.identity.pad.invalid"
	CAWGIdentitySigTypeUnknown         Code = "cawg.identity.sig_type.unknown"
	CAWGX509CredentialTrusted          Code = "cawg.x509.credential.trusted"
	CAWGX509CredentialUntrusted        Code = "cawg.x509.credential.untrusted"
	CAWGX509CredentialInvalid          Code = "cawg.x509.credential.invalid"
	CAWGX509SignatureValidated         Code = "cawg.x509.signature.validated"
	CAWGX509SignatureMismatch          Code = "cawg.x509.signature.mismatch"
	CAWGX509AlgorithmUnsupported       Code = "cawg.x509.algorithm.unsupported"
	CAWGX509SignatureOutsideValidity   Code = "cawg.x509.signature.outside_validity"
	CAWGICACredentialValid             Code = "cawg.ica.credential_valid"
	CAWGICAUntrustedIssuer             Code = "cawg.ica.untrusted_issuer"
	CAWGICAInvalidCOSESign1            Code = "cawg.ica.invalid_cose_sign1"
	CAWGICAInvalidAlg                  Code = "cawg.ica.invalid_alg"
	CAWGICAInvalidContentType          Code = "cawg.ica.invalid_content_type"
	CAWGICAInvalidVerifiableCredential Code = "cawg.ica.invalid_verifiable_credential"
	CAWGICAInvalidIssuer               Code = "cawg.ica.invalid_issuer"
	CAWGICADIDUnavailable              Code = "cawg.ica.did_unavailable"
	CAWGICAInvalidDIDDocument          Code = "cawg.ica.invalid_did_document"
	CAWGICASignatureMismatch           Code = "cawg.ica.signature_mismatch"
	CAWGICASignerPayloadMismatch       Code = "cawg.ica.signer_payload.mismatch"
	CAWGICAValidFromMissing            Code = "cawg.ica.valid_from.missing"
	CAWGICAValidFromInvalid            Code = "cawg.ica.valid_from.invalid"
	CAWGICAValidUntilInvalid           Code = "cawg.ica.valid_until.invalid"
	CAWGICATimeStampValidated          Code = "cawg.ica.time_stamp.validated"
	CAWGICATimeStampInvalid            Code = "cawg.ica.time_stamp.invalid"
)

const (
	srcSpec = "c2pa"
	srcRS   = "c2pa-rs"
	srcCAWG = "cawg"
)

// table is the single list of codes; Lookup, Table and Code methods read it.
var table = []Info{
	// success
	{ClaimSignatureValidated, Success, "The claim signature verified against the signing certificate.", srcSpec},
	{ClaimSignatureInsideValidity, Success, "The signing certificate was valid at the time of signing.", srcSpec},
	{SigningCredentialTrusted, Success, "The signing certificate chains to a trust anchor the validator accepts.", srcSpec},
	{SigningCredentialOCSPNotRevoked, Success, "An OCSP response shows the signing certificate was not revoked.", srcSpec},
	{TimeStampValidated, Success, "The time-stamp is well formed and matches the signature it stamps.", srcSpec},
	{TimeStampTrusted, Success, "The time-stamp authority chains to a trust anchor the validator accepts.", srcSpec},
	{AssertionHashedURIMatch, Success, "The assertion's hash matches the hash recorded for it in the claim.", srcSpec},
	{AssertionDataHashMatch, Success, "The asset's bytes match the data hash in the hard binding.", srcSpec},
	{AssertionBMFFHashMatch, Success, "The asset's boxes match the BMFF hash in the hard binding.", srcSpec},
	{AssertionBoxesHashMatch, Success, "The asset's boxes or chunks match the general box hash in the hard binding.", srcSpec},
	{AssertionCollectionHashMatch, Success, "Every file of the collection matches its hash in the collection hash.", srcSpec},
	{AssertionMultiAssetHashMatch, Success, "Every part of the multi-part asset matches its hash.", srcSpec},
	{AssertionAccessible, Success, "A remote (external) assertion could be fetched.", srcSpec},
	{IngredientManifestValidated, Success, "The ingredient's manifest matches the hash recorded in the ingredient assertion.", srcSpec},
	{IngredientClaimSignatureValidated, Success, "The ingredient's claim signature matches the hash recorded in the ingredient assertion.", srcSpec},

	// informational
	{AlgorithmDeprecated, Informational, "The signature uses an algorithm that is deprecated.", srcSpec},
	{IngredientUnknownProvenance, Informational, "The ingredient carries no Content Credentials.", srcSpec},
	{ManifestUnknownProvenance, Informational, "The manifest cannot be interpreted by this validator.", srcSpec},
	{SigningCredentialOCSPInaccessible, Informational, "An online revocation (OCSP) check was attempted but got no answer.", srcSpec},
	{SigningCredentialOCSPSkipped, Informational, "The validator did not check revocation online.", srcSpec},
	{TimeOfSigningInsideValidity, Informational, "The claimed signing time lies inside the certificate's validity.", srcSpec},
	{TimeOfSigningOutsideValidity, Informational, "The claimed signing time lies outside the certificate's validity.", srcSpec},
	{TimeStampMalformed, Informational, "The time-stamp could not be parsed; it was ignored.", srcSpec},
	{TimeStampMismatch, Informational, "The time-stamp does not match the signature it claims to stamp; it was ignored.", srcSpec},
	{TimeStampOutsideValidity, Informational, "The time-stamp lies outside the validity of the time-stamp authority's certificate.", srcSpec},
	{TimeStampUntrusted, Informational, "The time-stamp authority is not on the validator's trust list.", srcSpec},
	{AssertionDataHashAdditionalExclusionsPresent, Informational, "The data hash excludes more bytes than the manifest itself.", srcSpec},
	{AssertionBMFFHashAdditionalExclusionsPresent, Informational, "The BMFF hash excludes more than the C2PA uuid box, ftyp and mfra.", srcRS},

	// failure
	{AlgorithmUnsupported, Failure, "The signature or hash uses an algorithm that is not allowed.", srcSpec},
	{AssertionActionIngredientMismatch, Failure, "An action refers to an ingredient that cannot be found.", srcSpec},
	{AssertionActionMalformed, Failure, "An actions assertion is malformed.", srcSpec},
	{AssertionActionRedacted, Failure, "An actions assertion was redacted, which is not allowed.", srcSpec},
	{AssertionActionRedactionMismatch, Failure, "A redaction action does not match the claim's redacted assertions.", srcSpec},
	{AssertionBMFFHashMalformed, Failure, "The BMFF hash assertion is malformed.", srcSpec},
	{AssertionBMFFHashMismatch, Failure, "The asset's boxes do not match the BMFF hash: the asset was changed.", srcSpec},
	{AssertionBoxesHashMalformed, Failure, "The general box hash assertion is malformed.", srcSpec},
	{AssertionBoxesHashMismatch, Failure, "The asset's boxes do not match the general box hash: the asset was changed.", srcSpec},
	{AssertionBoxesHashUnknownBox, Failure, "The asset contains a box the general box hash does not cover.", srcSpec},
	{AssertionCloudDataActions, Failure, "A cloud-data assertion points at an actions assertion, which is not allowed.", srcSpec},
	{AssertionCloudDataHardBinding, Failure, "A cloud-data assertion points at a hard binding, which is not allowed.", srcSpec},
	{AssertionCloudDataMalformed, Failure, "A cloud-data assertion is malformed.", srcSpec},
	{AssertionCBORInvalid, Failure, "An assertion's CBOR cannot be decoded.", srcSpec},
	{AssertionCollectionHashIncorrectCount, Failure, "The collection has a different number of files than its hash lists.", srcSpec},
	{AssertionCollectionHashInvalidURI, Failure, "The collection hash names a file with an invalid URI.", srcSpec},
	{AssertionCollectionHashMalformed, Failure, "The collection hash assertion is malformed.", srcSpec},
	{AssertionCollectionHashMismatch, Failure, "A file of the collection does not match its hash.", srcSpec},
	{AssertionDataHashMalformed, Failure, "The data hash assertion is malformed.", srcSpec},
	{AssertionDataHashMismatch, Failure, "The asset's bytes do not match the data hash: the asset was changed.", srcSpec},
	{AssertionDataHashRedacted, Failure, "A hard binding was redacted, which is not allowed.", srcSpec},
	{AssertionHashedURIMismatch, Failure, "An assertion does not match the hash recorded for it in the claim: it was changed.", srcSpec},
	{AssertionInaccessible, Failure, "A remote (external) assertion could not be fetched.", srcSpec},
	{AssertionIngredientMalformed, Failure, "An ingredient assertion is malformed.", srcSpec},
	{AssertionJSONInvalid, Failure, "An assertion's JSON cannot be decoded.", srcSpec},
	{AssertionMissing, Failure, "An assertion the claim lists is missing from the manifest.", srcSpec},
	{AssertionMultiAssetHashMalformed, Failure, "The multi-asset hash assertion is malformed.", srcSpec},
	{AssertionMultiAssetHashMissingPart, Failure, "A part named by the multi-asset hash is missing.", srcSpec},
	{AssertionMultiAssetHashMismatch, Failure, "A part of the multi-part asset does not match its hash.", srcSpec},
	{AssertionMultipleHardBindings, Failure, "The claim has more than one hard binding.", srcSpec},
	{AssertionNotRedacted, Failure, "An assertion declared redacted is still present.", srcSpec},
	{AssertionOutsideManifest, Failure, "A claim refers to an assertion stored outside its own manifest.", srcSpec},
	{AssertionSelfRedacted, Failure, "A claim redacts one of its own assertions.", srcSpec},
	{AssertionTimestampMalformed, Failure, "The time-stamp assertion is malformed.", srcSpec},
	{AssertionUndeclared, Failure, "The manifest holds an assertion its claim does not list.", srcSpec},
	{ClaimCBORInvalid, Failure, "The claim's CBOR cannot be decoded.", srcSpec},
	{ClaimHardBindingsMissing, Failure, "The claim has no hard binding to the asset.", srcSpec},
	{ClaimMalformed, Failure, "The claim is malformed.", srcSpec},
	{ClaimMissing, Failure, "A referenced claim cannot be found.", srcSpec},
	{ClaimMultiple, Failure, "A manifest holds more than one claim.", srcSpec},
	{ClaimSignatureMissing, Failure, "The claim signature cannot be found.", srcSpec},
	{ClaimSignatureMismatch, Failure, "The claim signature does not verify: the claim or signature was changed.", srcSpec},
	{ClaimSignatureOutsideValidity, Failure, "The signing certificate was not valid at the time of signing.", srcSpec},
	{GeneralError, Failure, "Validation hit an error that has no more specific code.", srcSpec},
	{HashedURIMissing, Failure, "A hashed URI points at something that does not exist.", srcSpec},
	{HashedURIMismatch, Failure, "The data a hashed URI points at does not match its hash.", srcSpec},
	{IngredientClaimSignatureMissing, Failure, "The ingredient's claim signature cannot be found.", srcSpec},
	{IngredientClaimSignatureMismatch, Failure, "The ingredient's claim signature does not match the recorded hash.", srcSpec},
	{IngredientManifestMissing, Failure, "The ingredient's manifest cannot be found in the store.", srcSpec},
	{IngredientManifestMismatch, Failure, "The ingredient's manifest does not match the recorded hash.", srcSpec},
	{ManifestCompressedInvalid, Failure, "A compressed manifest cannot be decompressed.", srcSpec},
	{ManifestInaccessible, Failure, "A remote manifest could not be fetched.", srcSpec},
	{ManifestMultipleParents, Failure, "The manifest has more than one parent ingredient.", srcSpec},
	{ManifestTimestampInvalid, Failure, "A time-stamp manifest contains assertions it may not have.", srcSpec},
	{ManifestTimestampWrongParents, Failure, "A time-stamp manifest does not have exactly one parent.", srcSpec},
	{ManifestUpdateInvalid, Failure, "An update manifest contains a hard binding or actions.", srcSpec},
	{ManifestUpdateWrongParents, Failure, "An update manifest does not have exactly one parent.", srcSpec},
	{SigningCredentialInvalid, Failure, "The signing certificate does not meet the C2PA certificate profile or the signature is not encoded as required.", srcSpec},
	{SigningCredentialOCSPRevoked, Failure, "An OCSP response shows the signing certificate was revoked.", srcSpec},
	{SigningCredentialOCSPUnknown, Failure, "An OCSP response does not know the signing certificate.", srcSpec},
	{SigningCredentialUntrusted, Failure, "The signing certificate does not chain to any trust anchor the validator accepts.", srcSpec},

	// c2pa-rs additions
	{SigningCredentialExpired, Failure, "The signing certificate had expired (or was not yet valid) at the time of signing.", srcRS},
	{AssertionMetadataDisallowed, Failure, "A metadata assertion contains a field that is not allowed.", srcRS},
	{ManifestUnreferenced, Failure, "The store holds a manifest no ingredient refers to.", srcRS},
	{ClaimRequiredMissing, Failure, "A required field is missing from the claim.", srcRS},
	{AssertionRequiredMissing, Failure, "A required field is missing from an assertion, or it cannot be decoded.", srcRS},
	{IngredientHashedURIMismatch, Failure, "The ingredient's claim does not match the hash recorded in the ingredient assertion.", srcRS},
	{AdobePrerelease, Failure, "The manifest was made by pre-release software.", srcRS},

	// CAWG identity assertion
	{CAWGIdentityWellFormed, Success, "The identity assertion is well formed.", srcCAWG},
	{CAWGIdentityCBORInvalid, Failure, "The identity assertion's CBOR cannot be decoded.", srcCAWG},
	{CAWGIdentityAssertionMismatch, Failure, "The identity assertion's signer payload does not match the claim.", srcCAWG},
	{CAWGIdentityAssertionDuplicate, Failure, "The identity assertion's signer payload names an assertion twice.", srcCAWG},
	{CAWGIdentityHardBindingMissing, Failure, "The identity assertion's signer payload does not cover the hard binding.", srcCAWG},
	{CAWGIdentityPadInvalid, Failure, "The identity assertion's padding is not all zeros.", srcCAWG},
	{CAWGIdentitySigTypeUnknown, Failure, "The identity assertion uses an unknown signature type.", srcCAWG},
	{CAWGX509CredentialTrusted, Success, "The identity's X.509 certificate chains to a trust anchor.", srcCAWG},
	{CAWGX509CredentialUntrusted, Failure, "The identity's X.509 certificate does not chain to any trust anchor.", srcCAWG},
	{CAWGX509CredentialInvalid, Failure, "The identity's X.509 certificate is not valid for signing.", srcCAWG},
	{CAWGX509SignatureValidated, Success, "The identity's X.509 signature verified.", srcCAWG},
	{CAWGX509SignatureMismatch, Failure, "The identity's X.509 signature does not verify.", srcCAWG},
	{CAWGX509AlgorithmUnsupported, Failure, "The identity's X.509 signature uses an algorithm that is not allowed.", srcCAWG},
	{CAWGX509SignatureOutsideValidity, Failure, "The identity was signed outside its X.509 certificate's validity.", srcCAWG},
	{CAWGICACredentialValid, Success, "The identity claims aggregation credential is valid.", srcCAWG},
	{CAWGICAUntrustedIssuer, Informational, "The identity claims aggregator is not trusted by this validator.", srcCAWG},
	{CAWGICAInvalidCOSESign1, Failure, "The identity claims aggregation signature is not a valid COSE_Sign1.", srcCAWG},
	{CAWGICAInvalidAlg, Failure, "The identity claims aggregation signature uses an unsupported algorithm.", srcCAWG},
	{CAWGICAInvalidContentType, Failure, "The identity claims aggregation signature has the wrong content type.", srcCAWG},
	{CAWGICAInvalidVerifiableCredential, Failure, "The identity claims aggregation credential is not a valid verifiable credential.", srcCAWG},
	{CAWGICAInvalidIssuer, Failure, "The identity claims aggregation issuer is not a valid DID.", srcCAWG},
	{CAWGICADIDUnavailable, Failure, "The identity claims aggregator's DID document could not be resolved.", srcCAWG},
	{CAWGICAInvalidDIDDocument, Failure, "The identity claims aggregator's DID document is invalid.", srcCAWG},
	{CAWGICASignatureMismatch, Failure, "The identity claims aggregation signature does not verify.", srcCAWG},
	{CAWGICASignerPayloadMismatch, Failure, "The identity claims aggregation credential does not match the signer payload.", srcCAWG},
	{CAWGICAValidFromMissing, Failure, "The identity claims aggregation credential has no validFrom date.", srcCAWG},
	{CAWGICAValidFromInvalid, Failure, "The identity claims aggregation credential's validFrom date is invalid or in the future.", srcCAWG},
	{CAWGICAValidUntilInvalid, Failure, "The identity claims aggregation credential's validUntil date has passed or is invalid.", srcCAWG},
	{CAWGICATimeStampValidated, Success, "The identity claims aggregation time-stamp verified.", srcCAWG},
	{CAWGICATimeStampInvalid, Failure, "The identity claims aggregation time-stamp is invalid.", srcCAWG},
}

var index = func() map[Code]int {
	m := make(map[Code]int, len(table))
	for i, row := range table {
		m[row.Code] = i
	}
	return m
}()
