package accounts

import "provgraph/ent/account"

// Quotas are what a plan allows an account. Zero means unlimited (for
// retention: kept forever).
type Quotas struct {
	// MonthlyAssets is how many scans and how many signs the account may
	// run a month (each counted on its own, as the v1 APIs' plans do).
	MonthlyAssets int
	// StorageBytes is how many bytes of blobs the account may keep.
	StorageBytes int64
	// RetentionDays is how long signed outputs and certificates are kept.
	RetentionDays int
}

// PlanQuotas returns the quotas an account of plan starts with; an
// operator may change them per account afterwards.
func PlanQuotas(plan account.Plan) Quotas {
	switch plan {
	case account.PlanBusiness:
		return Quotas{MonthlyAssets: 2_000, StorageBytes: 250 << 30, RetentionDays: 21}
	case account.PlanEnterprise:
		return Quotas{MonthlyAssets: 12_000, RetentionDays: 45}
	default:
		return Quotas{MonthlyAssets: 500, StorageBytes: 5 << 30, RetentionDays: 7}
	}
}
