package store

import (
	"context"
	"database/sql"
	"fmt"
)

// stmtCache holds statements prepared once at Open on a one-connection
// handle, so the hot write path does not parse SQL on every call.
type stmtCache map[string]*sql.Stmt

// prepareCache prepares qs on db. It must run while no transaction holds
// db's only connection.
func prepareCache(ctx context.Context, db *sql.DB, qs []string) (stmtCache, error) {
	c := stmtCache{}
	for _, q := range qs {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			c.close()
			return nil, fmt.Errorf("prepare %q: %w", q, err)
		}
		c[q] = st
	}
	return c, nil
}

func (c stmtCache) close() {
	for _, st := range c {
		st.Close()
	}
}

// txq runs statements inside one transaction, using the handle's prepared
// statements when it has them and preparing others once per transaction.
type txq struct {
	ctx   context.Context
	tx    *sql.Tx
	cache stmtCache
	local map[string]*sql.Stmt
	// auditHead is the newest audit record, read once per transaction
	// (the writer is the only one appending while the transaction holds
	// the write lock).
	auditHead struct {
		loaded bool
		id     int64
		hash   string
	}
}

func newTxq(ctx context.Context, tx *sql.Tx, cache stmtCache) *txq {
	return &txq{ctx: ctx, tx: tx, cache: cache, local: map[string]*sql.Stmt{}}
}

func (t *txq) stmt(q string) (*sql.Stmt, error) {
	if st, ok := t.local[q]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if c, ok := t.cache[q]; ok {
		st = t.tx.StmtContext(t.ctx, c)
	} else {
		var err error
		if st, err = t.tx.PrepareContext(t.ctx, q); err != nil {
			return nil, err
		}
	}
	t.local[q] = st
	return st, nil
}

func (t *txq) exec(q string, args ...any) (sql.Result, error) {
	st, err := t.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(t.ctx, args...)
}

func (t *txq) queryRow(q string, args ...any) *sql.Row {
	st, err := t.stmt(q)
	if err != nil {
		return t.tx.QueryRowContext(t.ctx, q, args...) // reports the same error
	}
	return st.QueryRowContext(t.ctx, args...)
}

func (t *txq) close() {
	for _, st := range t.local {
		st.Close()
	}
}
