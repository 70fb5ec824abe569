package db

import (
	"context"
	"fmt"

	"provgraph/ent"
)

// ClientFrom returns the transactional client carried by ctx (set by
// WithTx or by entgql's Transactioner for GraphQL mutations), or fallback
// outside a transaction. Services use it so that their writes join the
// caller's transaction.
func ClientFrom(ctx context.Context, fallback *ent.Client) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return fallback
}

// WithTx runs fn in a transaction: the one already in ctx if there is one,
// otherwise a new one on client, committed when fn returns nil and rolled
// back otherwise. Inside fn, ClientFrom(ctx, ...) returns the transaction's
// client, ent.TxFromContext(ctx) the transaction and SQLTx(ctx) its
// database/sql transaction (when client was made over DB.Driver).
func WithTx(ctx context.Context, client *ent.Client, fn func(ctx context.Context) error) error {
	if ent.TxFromContext(ctx) != nil {
		return fn(ctx)
	}
	ctx = withTxHolder(ctx)
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("db: starting transaction: %w", err)
	}
	txCtx := ent.NewContext(ent.NewTxContext(ctx, tx), tx.Client())
	if err := fn(txCtx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return fmt.Errorf("%w (rollback: %v)", err, rerr)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: committing: %w", err)
	}
	return nil
}

// OpenTx opens a transaction on client the way WithTx does, for callers
// that commit it themselves (entgql's Transactioner): the returned context
// carries the transaction, its client and its database/sql transaction.
func OpenTx(ctx context.Context, client *ent.Client) (context.Context, *ent.Tx, error) {
	ctx = withTxHolder(ctx)
	tx, err := client.Tx(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("db: starting transaction: %w", err)
	}
	return ent.NewContext(ent.NewTxContext(ctx, tx), tx.Client()), tx, nil
}
