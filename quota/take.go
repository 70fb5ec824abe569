package quota

import (
	"context"
	"fmt"

	"provgraph/ent/schema/tenant"
)

// The Take calls count for the caller in ctx (its tenant.Viewer): the
// account's monthly quota, which every key of the account shares, and the
// per-key limits of Options. A caller without a key (a job running for an
// account) has no per-key limits. Each returns Consume's Usage and errors;
// a nil Service, or a Prepaid ctx, counts nothing.

// TakeScans counts n scans: against the account's monthly asset quota
// (the monthly_asset_quota of its row, which CreateAccount sets to its
// plan's accounts.PlanQuotas; zero is unlimited) and against
// Options.KeyScansPerDay.
func (s *Service) TakeScans(ctx context.Context, n int) (Usage, error) {
	if s == nil {
		return Usage{}, nil
	}
	return s.takeAssets(ctx, Scan, s.opts.KeyScansPerDay, n)
}

// TakeSigns counts n signs as TakeScans counts scans, on a count of their
// own, against the monthly asset quota and Options.KeySignsPerDay.
func (s *Service) TakeSigns(ctx context.Context, n int) (Usage, error) {
	if s == nil {
		return Usage{}, nil
	}
	return s.takeAssets(ctx, Sign, s.opts.KeySignsPerDay, n)
}

// TakeVerifies counts n verifications against Options.KeyVerifiesPerDay;
// plans do not limit verifying.
func (s *Service) TakeVerifies(ctx context.Context, n int) (Usage, error) {
	if s == nil || isPrepaid(ctx) {
		return Usage{}, nil
	}
	v, err := viewer(ctx)
	if err != nil {
		return Usage{}, err
	}
	return s.Consume(ctx, n, keyLimit(v, Verify, Day, s.opts.KeyVerifiesPerDay))
}

// TakeRequest counts one request (a GraphQL operation, a REST call)
// against Options.KeyRequestsPerMinute.
func (s *Service) TakeRequest(ctx context.Context) (Usage, error) {
	if s == nil {
		return Usage{}, nil
	}
	v, err := viewer(ctx)
	if err != nil {
		return Usage{}, err
	}
	return s.Consume(ctx, 1, keyLimit(v, Request, Minute, s.opts.KeyRequestsPerMinute))
}

// takeAssets counts n of name against the account's monthly asset quota
// and perKeyDaily.
func (s *Service) takeAssets(ctx context.Context, name string, perKeyDaily, n int) (Usage, error) {
	if s == nil || isPrepaid(ctx) {
		return Usage{}, nil
	}
	v, err := viewer(ctx)
	if err != nil {
		return Usage{}, err
	}
	acct, err := s.client.Account.Get(tenant.WithSystem(ctx), v.AccountID)
	if err != nil {
		return Usage{}, fmt.Errorf("quota: reading the quota of account %d: %w", v.AccountID, err)
	}
	return s.Consume(ctx, n,
		Account(v.AccountID).Limit(name, Month, acct.MonthlyAssetQuota),
		keyLimit(v, name, Day, perKeyDaily))
}

// viewer returns the caller in ctx.
func viewer(ctx context.Context) (tenant.Viewer, error) {
	v, ok := tenant.FromContext(ctx)
	if !ok {
		return tenant.Viewer{}, fmt.Errorf("quota: %w", tenant.ErrNoViewer)
	}
	return v, nil
}

// keyLimit is the limit of maxCount of name per window for v's key; none
// (a Limit with no Max) for a caller without a key.
func keyLimit(v tenant.Viewer, name string, window Window, maxCount int) Limit {
	if v.APIKeyID == 0 {
		return Limit{}
	}
	return APIKey(v.AccountID, v.APIKeyID).Limit(name, window, maxCount)
}

type prepaidKey struct{}

// Prepaid marks ctx as work already counted (a job's items were counted
// when the job was created): the Take calls then count nothing.
func Prepaid(ctx context.Context) context.Context {
	return context.WithValue(ctx, prepaidKey{}, true)
}

func isPrepaid(ctx context.Context) bool {
	b, _ := ctx.Value(prepaidKey{}).(bool)
	return b
}
