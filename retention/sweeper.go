package retention

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"provgraph/ent"
	"provgraph/ent/account"
	"provgraph/ent/asset"
	"provgraph/ent/schema/tenant"
	"provgraph/storage"
)

// Defaults of Options.
const (
	// DefaultInterval is how often Run sweeps.
	DefaultInterval = time.Minute
	// DefaultOriginalAfterSign is how long an original is kept once its
	// signed output exists.
	DefaultOriginalAfterSign = 15 * time.Minute
	// DefaultAbandonedAfter is how long an upload that is never signed is
	// kept.
	DefaultAbandonedAfter = 72 * time.Hour
	// DefaultBatchSize is how many rows of each kind one sweep claims.
	DefaultBatchSize = 100
)

// Options configures a Sweeper; zero fields take the defaults.
type Options struct {
	// Interval is the time between two sweeps of Run.
	Interval time.Duration
	// OriginalAfterSign is how long after signing the original is deleted.
	OriginalAfterSign time.Duration
	// AbandonedAfter is how long after upload an asset never signed
	// expires.
	AbandonedAfter time.Duration
	// BatchSize bounds the rows of each kind one sweep handles; the rest
	// wait for the next sweep.
	BatchSize int
	// Now is the clock (time.Now when nil); tests move it forward.
	Now func() time.Time
	// Logger receives failures that do not stop the sweep.
	Logger *slog.Logger
	// Verifications, when set, has its expired records removed on every
	// sweep (verifications.Service, which owns what "expired" means).
	Verifications ExpiredPurger
	// Jobs, when set, has its expired jobs removed (jobs.Service).
	Jobs ExpiredPurger
	// Counters, when set, has its ended usage windows removed
	// (quota.Service, through a PurgerFunc of its Sweep).
	Counters ExpiredPurger
}

// PurgerFunc makes a function an ExpiredPurger.
type PurgerFunc func(ctx context.Context) (int, error)

// PurgeExpired implements ExpiredPurger.
func (f PurgerFunc) PurgeExpired(ctx context.Context) (int, error) { return f(ctx) }

// ExpiredPurger removes the expired records of every account and reports
// how many it removed.
type ExpiredPurger interface {
	PurgeExpired(ctx context.Context) (int, error)
}

// Sweeper deletes expired blobs and rows across every account.
type Sweeper struct {
	client *ent.Client
	store  *storage.Store
	opts   Options
}

// NewSweeper returns a Sweeper over client and store.
func NewSweeper(client *ent.Client, store *storage.Store, opts Options) *Sweeper {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.OriginalAfterSign <= 0 {
		opts.OriginalAfterSign = DefaultOriginalAfterSign
	}
	if opts.AbandonedAfter <= 0 {
		opts.AbandonedAfter = DefaultAbandonedAfter
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Sweeper{client: client, store: store, opts: opts}
}

// Report counts what one sweep purged (claimed by this sweeper).
type Report struct {
	// Originals deleted after signing.
	Originals int
	// Abandoned uploads expired (never signed).
	Abandoned int
	// SignedOutputs deleted after the account's retention (with their
	// certificates).
	SignedOutputs int
	// Verifications removed after their expiry (with Options.Verifications).
	Verifications int
	// Jobs removed after their expiry, with their items (Options.Jobs).
	Jobs int
	// Counters are the usage counters of ended windows removed
	// (Options.Counters).
	Counters int
}

// Run sweeps now and then every Interval until ctx is done. A failed sweep
// is logged and retried at the next tick.
func (s *Sweeper) Run(ctx context.Context) {
	t := time.NewTicker(s.opts.Interval)
	defer t.Stop()
	for {
		rep, err := s.Sweep(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.opts.Logger.ErrorContext(ctx, "retention: sweep failed", slog.String("error", err.Error()))
		case rep != (Report{}):
			s.opts.Logger.InfoContext(ctx, "retention: swept",
				slog.Int("originals", rep.Originals), slog.Int("abandoned", rep.Abandoned),
				slog.Int("signed_outputs", rep.SignedOutputs), slog.Int("verifications", rep.Verifications),
				slog.Int("jobs", rep.Jobs), slog.Int("counters", rep.Counters))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Sweep runs one pass over every account. Rows another sweeper claimed
// first are skipped, so concurrent sweeps purge each row once.
func (s *Sweeper) Sweep(ctx context.Context) (Report, error) {
	ctx = tenant.WithSystem(ctx)
	now := s.opts.Now()
	var rep Report
	var errs []error
	n, err := s.purgeOriginals(ctx, now)
	rep.Originals = n
	errs = append(errs, err)
	n, err = s.purgeAbandoned(ctx, now)
	rep.Abandoned = n
	errs = append(errs, err)
	n, err = s.purgeSignedOutputs(ctx, now)
	rep.SignedOutputs = n
	errs = append(errs, err)
	for _, p := range []struct {
		purger ExpiredPurger
		n      *int
	}{
		{s.opts.Verifications, &rep.Verifications},
		{s.opts.Jobs, &rep.Jobs},
		{s.opts.Counters, &rep.Counters},
	} {
		if p.purger != nil {
			*p.n, err = p.purger.PurgeExpired(ctx)
			errs = append(errs, err)
		}
	}
	return rep, errors.Join(errs...)
}

// purgeOriginals deletes the originals of assets signed more than
// OriginalAfterSign ago.
func (s *Sweeper) purgeOriginals(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.Add(-s.opts.OriginalAfterSign)
	candidates, err := s.client.Asset.Query().
		Where(
			asset.StatusEQ(asset.StatusSigned),
			asset.OriginalPurgedAtIsNil(),
			asset.Or(
				asset.SignedAtLTE(cutoff),
				asset.And(asset.SignedAtIsNil(), asset.UpdatedAtLTE(cutoff)),
			),
		).
		Limit(s.opts.BatchSize).
		All(ctx)
	if err != nil {
		return 0, fmt.Errorf("retention: finding signed originals: %w", err)
	}
	return s.claimOriginals(ctx, now, candidates, false)
}

// purgeAbandoned expires the assets uploaded more than AbandonedAfter ago
// and never signed, deleting their originals.
func (s *Sweeper) purgeAbandoned(ctx context.Context, now time.Time) (int, error) {
	candidates, err := s.client.Asset.Query().
		Where(
			asset.StatusNotIn(asset.StatusSigned, asset.StatusExpired),
			asset.SignedAtIsNil(),
			asset.OriginalPurgedAtIsNil(),
			asset.CreatedAtLTE(now.Add(-s.opts.AbandonedAfter)),
		).
		Limit(s.opts.BatchSize).
		All(ctx)
	if err != nil {
		return 0, fmt.Errorf("retention: finding abandoned uploads: %w", err)
	}
	return s.claimOriginals(ctx, now, candidates, true)
}

// claimOriginals claims each candidate's original (sets original_purged_at
// where it is still unset, and with expire the status EXPIRED) and deletes
// the blobs of the rows it won.
func (s *Sweeper) claimOriginals(ctx context.Context, now time.Time, candidates []*ent.Asset, expire bool) (int, error) {
	purged := 0
	var errs []error
	for _, a := range candidates {
		claim := s.client.Asset.Update().
			Where(asset.ID(a.ID), asset.OriginalPurgedAtIsNil()).
			SetOriginalPurgedAt(now)
		if expire {
			claim.Where(asset.SignedAtIsNil()).SetStatus(asset.StatusExpired)
		}
		won, err := claim.Save(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("retention: claiming asset %d: %w", a.ID, err))
			continue
		}
		if won == 0 {
			continue // another sweeper's, or signed meanwhile
		}
		if err := s.store.Delete(ctx, a.OriginalBlobKey); err != nil {
			// Give the row back so that the next sweep retries.
			errs = append(errs, fmt.Errorf("retention: deleting original of asset %d: %w", a.ID, err))
			release := s.client.Asset.Update().
				Where(asset.ID(a.ID), asset.OriginalPurgedAt(now)).
				ClearOriginalPurgedAt()
			if expire {
				release.SetStatus(a.Status)
			}
			if _, err := release.Save(ctx); err != nil {
				errs = append(errs, fmt.Errorf("retention: releasing asset %d: %w", a.ID, err))
			}
			continue
		}
		purged++
	}
	return purged, errors.Join(errs...)
}

// purgeSignedOutputs deletes the signed outputs (and certificates) of
// assets signed longer ago than their account's retention days, and
// marks those assets EXPIRED. Accounts with retention 0 keep them.
func (s *Sweeper) purgeSignedOutputs(ctx context.Context, now time.Time) (int, error) {
	accounts, err := s.client.Account.Query().
		Where(account.RetentionDaysGT(0)).
		Select(account.FieldID, account.FieldRetentionDays).
		All(ctx)
	if err != nil {
		return 0, fmt.Errorf("retention: reading account retention: %w", err)
	}
	purged := 0
	var errs []error
	for _, acc := range accounts {
		cutoff := now.AddDate(0, 0, -acc.RetentionDays)
		candidates, err := s.client.Asset.Query().
			Where(
				asset.AccountID(acc.ID),
				asset.SignedBlobKeyNotNil(),
				asset.SignedPurgedAtIsNil(),
				asset.SignedAtLTE(cutoff),
			).
			Limit(s.opts.BatchSize).
			All(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("retention: finding signed outputs of account %d: %w", acc.ID, err))
			continue
		}
		for _, a := range candidates {
			ok, err := s.purgeSignedOutput(ctx, now, a)
			if err != nil {
				errs = append(errs, err)
			}
			if ok {
				purged++
			}
		}
	}
	return purged, errors.Join(errs...)
}

// purgeSignedOutput claims one asset's signed output and deletes it with
// the blobs of its certificates. It reports whether this sweeper won the
// claim and deleted everything.
func (s *Sweeper) purgeSignedOutput(ctx context.Context, now time.Time, a *ent.Asset) (bool, error) {
	won, err := s.client.Asset.Update().
		Where(asset.ID(a.ID), asset.SignedPurgedAtIsNil()).
		SetSignedPurgedAt(now).
		SetStatus(asset.StatusExpired).
		Save(ctx)
	if err != nil {
		return false, fmt.Errorf("retention: claiming signed output of asset %d: %w", a.ID, err)
	}
	if won == 0 {
		return false, nil
	}
	keys, err := s.certificateKeys(ctx, a.ID)
	if err == nil && a.SignedBlobKey != nil {
		keys = append(keys, *a.SignedBlobKey)
	}
	for _, k := range keys {
		if err == nil {
			err = s.store.Delete(ctx, k)
		}
	}
	if err != nil {
		release := s.client.Asset.Update().
			Where(asset.ID(a.ID), asset.SignedPurgedAt(now)).
			ClearSignedPurgedAt().
			SetStatus(a.Status)
		if _, rerr := release.Save(ctx); rerr != nil {
			err = errors.Join(err, fmt.Errorf("releasing: %w", rerr))
		}
		return false, fmt.Errorf("retention: deleting signed output of asset %d: %w", a.ID, err)
	}
	return true, nil
}
