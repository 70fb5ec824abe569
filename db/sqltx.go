package db

import (
	"context"
	"database/sql"
	"fmt"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// txHolder receives the *sql.Tx behind the ent transaction opened with its
// context, so that code outside ent (the River queue) can write in the
// same transaction.
type txHolder struct{ tx *sql.Tx }

type txHolderKey struct{}

// withTxHolder returns ctx carrying a fresh holder for the next
// transaction opened with it.
func withTxHolder(ctx context.Context) context.Context {
	return context.WithValue(ctx, txHolderKey{}, &txHolder{})
}

// SQLTx returns the database/sql transaction of the ent transaction ctx
// carries (opened by WithTx or the GraphQL Transactioner), or nil outside
// one. River inserts jobs through it, so that a job exists exactly when the
// rows it works on were committed.
func SQLTx(ctx context.Context) *sql.Tx {
	if h, ok := ctx.Value(txHolderKey{}).(*txHolder); ok {
		return h.tx
	}
	return nil
}

// txDriver is the ent driver of a DB: the standard one, except that a
// transaction it opens is handed to the holder in the opening context.
type txDriver struct{ *entsql.Driver }

// Tx opens a transaction with the default options.
func (d txDriver) Tx(ctx context.Context) (dialect.Tx, error) { return d.BeginTx(ctx, nil) }

// BeginTx opens a transaction and records it in ctx's holder, if any.
func (d txDriver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	tx, err := d.Driver.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("db: beginning transaction: %w", err)
	}
	if h, ok := ctx.Value(txHolderKey{}).(*txHolder); ok {
		if t, ok := tx.(*entsql.Tx); ok {
			h.tx, _ = t.Tx.(*sql.Tx)
		}
	}
	return tx, nil
}
