package accounts

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"provgraph/apierror"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/account"
	"provgraph/ent/apikey"
	"provgraph/ent/schema/tenant"
)

// lastUsedGranularity bounds how often authenticating with a key writes its
// last_used_at: once per key per minute, not once per request.
const lastUsedGranularity = time.Minute

// Service manages accounts and API keys.
type Service struct {
	client *ent.Client
	// public is the public account's id once read back (see Public).
	public atomic.Int64
}

// NewService returns a Service over client.
func NewService(client *ent.Client) *Service {
	return &Service{client: client}
}

// Viewer returns the caller's account.
func (s *Service) Viewer(ctx context.Context) (*ent.Account, error) {
	v, ok := tenant.FromContext(ctx)
	if !ok {
		return nil, tenant.ErrNoViewer
	}
	return db.ClientFrom(ctx, s.client).Account.Get(ctx, v.AccountID)
}

// CreateAccount creates a tenant with the quotas of its plan. It is a
// provisioning operation: it runs outside any caller's tenant.
func (s *Service) CreateAccount(ctx context.Context, name string, plan account.Plan) (*ent.Account, error) {
	q := PlanQuotas(plan)
	return db.ClientFrom(ctx, s.client).Account.Create().
		SetName(name).
		SetPlan(plan).
		SetMonthlyAssetQuota(q.MonthlyAssets).
		SetStorageQuotaBytes(q.StorageBytes).
		SetRetentionDays(q.RetentionDays).
		Save(tenant.WithSystem(ctx))
}

// CreateKey creates an API key in the caller's account and returns it with
// the full key, which is not stored and cannot be recovered later.
func (s *Service) CreateKey(ctx context.Context, name string, scopes []tenant.Scope) (*ent.APIKey, string, error) {
	v, ok := tenant.FromContext(ctx)
	if !ok {
		return nil, "", tenant.ErrNoViewer
	}
	full, k := newKey()
	key, err := s.createKey(ctx, v.AccountID, name, scopes, full, k)
	return key, full, err
}

// CreateKeyFor creates an API key in account accountID, outside any caller:
// for provisioning and bootstrap. With raw empty a random key is made;
// otherwise raw is the key.
func (s *Service) CreateKeyFor(ctx context.Context, accountID int, name string, scopes []tenant.Scope, raw string) (*ent.APIKey, string, error) {
	full, k := newKey()
	if raw != "" {
		full, k = raw, parseKey(raw)
	}
	key, err := s.createKey(tenant.WithSystem(ctx), accountID, name, scopes, full, k)
	return key, full, err
}

func (s *Service) createKey(ctx context.Context, accountID int, name string, scopes []tenant.Scope, full string, k parsedKey) (*ent.APIKey, error) {
	if len(scopes) == 0 {
		return nil, ErrNoScopes
	}
	for _, sc := range scopes {
		if !sc.Valid() {
			return nil, &apierror.InvalidFieldError{Field: "scopes", Reason: fmt.Sprintf("unknown scope %q", sc)}
		}
	}
	scopes = slices.Clone(scopes)
	slices.Sort(scopes)
	return db.ClientFrom(ctx, s.client).APIKey.Create().
		SetAccountID(accountID).
		SetName(name).
		SetKeyID(k.keyID).
		SetPrefix(displayPrefix(full)).
		SetSecretHash(hashSecret(k.secret)).
		SetScopes(slices.Compact(scopes)).
		Save(ctx)
}

// RevokeKey revokes a key of the caller's account. Revoking a revoked key
// keeps its first revocation time.
func (s *Service) RevokeKey(ctx context.Context, id int) (*ent.APIKey, error) {
	c := db.ClientFrom(ctx, s.client)
	key, err := c.APIKey.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if key.RevokedAt != nil {
		return key, nil
	}
	return c.APIKey.UpdateOne(key).SetRevokedAt(time.Now()).Save(ctx)
}

// Authenticate resolves a presented key to the caller it stands for. Every
// failure is an ErrInvalidKey or ErrRevokedKey (both UNAUTHENTICATED), and
// an unknown key id costs the same hash comparison as a wrong secret.
func (s *Service) Authenticate(ctx context.Context, raw string) (tenant.Viewer, error) {
	_, v, err := s.authenticate(ctx, raw)
	return v, err
}

// AuthenticateWithOPLimits is Authenticate that also returns the limits
// the key carries of its own on the OP Protocol API, read with the key.
func (s *Service) AuthenticateWithOPLimits(ctx context.Context, raw string) (tenant.Viewer, OPLimits, error) {
	key, v, err := s.authenticate(ctx, raw)
	if err != nil {
		return tenant.Viewer{}, OPLimits{}, err
	}
	return v, OPLimits{RequestsPerMinute: key.OpRequestsPerMinute, SignsPerDay: key.OpSignsPerDay, VerifiesPerDay: key.OpVerifiesPerDay}, nil
}

func (s *Service) authenticate(ctx context.Context, raw string) (*ent.APIKey, tenant.Viewer, error) {
	if raw == "" {
		return nil, tenant.Viewer{}, ErrInvalidKey
	}
	sys := tenant.WithSystem(ctx)
	k := parseKey(raw)
	key, err := s.client.APIKey.Query().Where(apikey.KeyID(k.keyID)).Only(sys)
	switch {
	case ent.IsNotFound(err):
		secretMatches(k.secret, make([]byte, 32))
		return nil, tenant.Viewer{}, ErrInvalidKey
	case err != nil:
		return nil, tenant.Viewer{}, fmt.Errorf("accounts: looking up key: %w", err)
	}
	if !secretMatches(k.secret, key.SecretHash) {
		return nil, tenant.Viewer{}, ErrInvalidKey
	}
	if key.RevokedAt != nil {
		return nil, tenant.Viewer{}, ErrRevokedKey
	}
	now := time.Now()
	if key.LastUsedAt == nil || now.Sub(*key.LastUsedAt) >= lastUsedGranularity {
		if err := s.client.APIKey.UpdateOneID(key.ID).SetLastUsedAt(now).Exec(sys); err != nil {
			return nil, tenant.Viewer{}, fmt.Errorf("accounts: recording key use: %w", err)
		}
	}
	return key, tenant.Viewer{AccountID: key.AccountID, APIKeyID: key.ID, Scopes: key.Scopes}, nil
}

// Bootstrap makes sure there is a first account to log in with. On an
// empty database it creates an enterprise "admin" account and a key with
// every scope: adminKey when it is set, otherwise a random key, which is
// returned (created is true) so the caller can show it once. On a database
// that has accounts it does nothing.
func (s *Service) Bootstrap(ctx context.Context, adminKey string) (key string, created bool, err error) {
	err = db.WithTx(ctx, s.client, func(ctx context.Context) error {
		sys := tenant.WithSystem(ctx)
		n, err := db.ClientFrom(ctx, s.client).Account.Query().Count(sys)
		if err != nil {
			return fmt.Errorf("accounts: counting accounts: %w", err)
		}
		if n > 0 {
			return nil
		}
		acct, err := s.CreateAccount(ctx, "admin", account.PlanEnterprise)
		if err != nil {
			return fmt.Errorf("accounts: creating admin account: %w", err)
		}
		_, key, err = s.CreateKeyFor(ctx, acct.ID, "bootstrap admin", tenant.AllScopes(), adminKey)
		if err != nil {
			return fmt.Errorf("accounts: creating admin key: %w", err)
		}
		created = true
		return nil
	})
	return key, created, err
}
