package accounts

import "provgraph/ent/account"

// Quotas are what a plan allows an account. Zero means unlimited (for
// retention: kept forever).
type Quotas struct {
	// MonthlyAssets is how many assets the account may process a month.
	MonthlyAssets int
	// StorageBytes is how many bytes of blobs the account may keep.
	StorageBytes int64
	// RetentionDays is how long uploaded assets are kept.
	RetentionDays int
}

// PlanQuotas returns the quotas an account of plan starts with; an
// operator may change them per account afterwards.
func PlanQuotas(plan account.Plan) Quotas {
	switch plan {
	case account.PlanBusiness:
		return Quotas{MonthlyAssets: 25_000, StorageBytes: 250 << 30, RetentionDays: 365}
	case account.PlanEnterprise:
		return Quotas{}
	default:
		return Quotas{MonthlyAssets: 1_000, StorageBytes: 5 << 30, RetentionDays: 30}
	}
}
