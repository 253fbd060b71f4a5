package postgres

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/jackc/pgx/v5"
)

var _ store.Tables = (*DB)(nil)

// derivedTables are filled by the database itself from other tables:
// search_words by a trigger on articles (migration 0022).
var derivedTables = map[string]bool{"search_words": true}

// Tables lists the tables of the connection's schema (the first of its
// search_path), but those the database derives itself (derivedTables)
// and, of each, the columns it derives: tsvector columns (the articles'
// search vectors, made by a trigger) and generated ones; see
// store.Tables.
func (db *DB) Tables(ctx context.Context) (_ []store.Table, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("postgres: Tables: %w", err)
		}
	}()
	rows, err := db.pool.Query(ctx, `
		SELECT c.oid::bigint, c.relname
		FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace
			AND c.relkind IN ('r', 'p')
		ORDER BY c.relname`)
	if err != nil {
		return nil, err
	}
	type rel struct {
		oid  int64
		name string
	}
	rels, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (rel, error) {
		var x rel
		err := r.Scan(&x.oid, &x.name)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	var tables []store.Table
	for _, r := range rels {
		if derivedTables[r.name] {
			continue
		}
		t, err := db.describe(ctx, r.oid, r.name)
		if err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	return tables, nil
}

// describe reads one table's columns, key and foreign keys.
func (db *DB) describe(ctx context.Context, oid int64, name string) (store.Table, error) {
	t := store.Table{Name: name}
	rows, err := db.pool.Query(ctx, `
		SELECT a.attname, ty.typname, a.attidentity <> '', a.attgenerated <> '',
			COALESCE(array_position(i.indkey::smallint[], a.attnum), 0)
		FROM pg_attribute a
		JOIN pg_type ty ON ty.oid = a.atttypid
		LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
		WHERE a.attrelid = $1::bigint::oid AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, oid)
	if err != nil {
		return t, err
	}
	keys := map[int]string{}
	for rows.Next() {
		var col, typ string
		var identity, generated bool
		var keyAt int
		if err := rows.Scan(&col, &typ, &identity, &generated, &keyAt); err != nil {
			rows.Close()
			return t, err
		}
		if keyAt > 0 {
			keys[keyAt] = col
		}
		if identity && col == "id" {
			t.Identity = true
		}
		if generated || typ == "tsvector" {
			continue
		}
		kind, ok := kinds[typ]
		if !ok {
			rows.Close()
			return t, fmt.Errorf("column %s.%s is of type %s, which is not one Dateline copies", name, col, typ)
		}
		t.Columns = append(t.Columns, store.Column{Name: col, Kind: kind})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	for i := 1; i <= len(keys); i++ {
		t.Key = append(t.Key, keys[i])
	}
	rows, err = db.pool.Query(ctx, `
		SELECT DISTINCT r.relname
		FROM pg_constraint c JOIN pg_class r ON r.oid = c.confrelid
		WHERE c.conrelid = $1::bigint::oid AND c.contype = 'f'`, oid)
	if err != nil {
		return t, err
	}
	t.References, err = pgx.CollectRows(rows, pgx.RowTo[string])
	return t, err
}

// kinds maps the types of Dateline's schema to their kinds.
var kinds = map[string]store.ColumnKind{
	"text": store.KindText, "varchar": store.KindText, "bpchar": store.KindText,
	"int2": store.KindInt, "int4": store.KindInt, "int8": store.KindInt,
	"float4": store.KindReal, "float8": store.KindReal,
	"bool":        store.KindBool,
	"timestamptz": store.KindTime, "timestamp": store.KindTime,
	"date":  store.KindDate,
	"bytea": store.KindBlob,
	"jsonb": store.KindJSON, "json": store.KindJSON,
}

// ReadTables reads in one REPEATABLE READ, read-only transaction: one
// snapshot however long it lasts; see store.Tables.
func (db *DB) ReadTables(ctx context.Context, fn func(store.TableReader) error) error {
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		return fn(tableTx{tx})
	})
}

// WriteTables writes in one transaction; see store.Tables.
func (db *DB) WriteTables(ctx context.Context, fn func(store.TableWriter) error) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error { return fn(tableTx{tx}) })
}

// tableTx reads and writes tables in a transaction.
type tableTx struct{ tx pgx.Tx }

func columnNames(cols []store.Column) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = pgx.Identifier{n}.Sanitize()
	}
	return strings.Join(q, ", ")
}

func (t tableTx) Scan(ctx context.Context, table string, cols []store.Column, orderBy []string, batch int, fn func([][]any) error) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("postgres: read %s: %w", table, err)
		}
	}()
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = pgx.Identifier{c.Name}.Sanitize()
		if c.Kind == store.KindJSON {
			// As stored text, not decoded into Go maps.
			sel[i] += "::text"
		}
	}
	q := `SELECT ` + strings.Join(sel, ", ") + ` FROM ` + pgx.Identifier{table}.Sanitize()
	if len(orderBy) > 0 {
		q += ` ORDER BY ` + quoteAll(orderBy)
	}
	rows, err := t.tx.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return err
		}
		for i, c := range cols {
			if vals[i], err = fromPostgres(c.Kind, vals[i]); err != nil {
				return fmt.Errorf("column %s: %w", c.Name, err)
			}
		}
		out = append(out, vals)
		if len(out) == batch {
			if err := fn(out); err != nil {
				return err
			}
			out = out[:0]
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(out) > 0 {
		return fn(out)
	}
	return nil
}

// fromPostgres is a value as pgx gives it as the Go type of its kind.
func fromPostgres(kind store.ColumnKind, v any) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case int16:
		return int64(v), nil
	case int32:
		return int64(v), nil
	case float32:
		return float64(v), nil
	case time.Time:
		if kind == store.KindDate {
			return v.Format(time.DateOnly), nil
		}
		return v.UTC(), nil
	case int64, float64, bool, string, []byte:
		return v, nil
	}
	return nil, fmt.Errorf("cannot read a %T as %s", v, kind)
}

// toPostgres is a value in the Go type of its kind as pgx sends it.
func toPostgres(kind store.ColumnKind, v any) (any, error) {
	switch v := v.(type) {
	case string:
		if kind == store.KindDate {
			return time.Parse(time.DateOnly, v)
		}
	case int64:
		if kind == store.KindReal {
			return float64(v), nil
		}
	case float64:
		if kind == store.KindInt && v == math.Trunc(v) {
			return int64(v), nil
		}
	}
	return v, nil
}

func (t tableTx) Count(ctx context.Context, table string) (n int64, err error) {
	if err := t.tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count %s: %w", table, err)
	}
	return n, nil
}

// identityTables lists the tables whose id column is an identity, with
// its sequence.
func (t tableTx) identityTables(ctx context.Context) (map[string]string, error) {
	rows, err := t.tx.Query(ctx, `
		SELECT c.relname, pg_get_serial_sequence(quote_ident(c.relname), 'id')
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
			AND a.attname = 'id' AND a.attidentity <> ''`)
	if err != nil {
		return nil, err
	}
	seqs := map[string]string{}
	for rows.Next() {
		var table, seq string
		if err := rows.Scan(&table, &seq); err != nil {
			rows.Close()
			return nil, err
		}
		seqs[table] = seq
	}
	rows.Close()
	return seqs, rows.Err()
}

// IDHighs reads the identity sequences: the last value each gave, which
// is the highest (they only go up); see store.TableReader.
func (t tableTx) IDHighs(ctx context.Context) (map[string]int64, error) {
	seqs, err := t.identityTables(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: IDHighs: %w", err)
	}
	highs := map[string]int64{}
	for table, seq := range seqs {
		var n int64
		// last_value is the start value until the sequence is first used.
		if err := t.tx.QueryRow(ctx, `SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM `+seq).Scan(&n); err != nil {
			return nil, fmt.Errorf("postgres: read %s: %w", seq, err)
		}
		highs[table] = n
	}
	return highs, nil
}

// Insert copies the rows in with COPY, which gives identity columns the
// values it is given (an INSERT would need OVERRIDING SYSTEM VALUE) and
// runs the tables' triggers, which make the search vectors; see
// store.TableWriter.
func (t tableTx) Insert(ctx context.Context, table string, cols []store.Column, rows [][]any) (err error) {
	values := make([][]any, len(rows))
	for r, row := range rows {
		values[r] = make([]any, len(cols))
		for i, c := range cols {
			if values[r][i], err = toPostgres(c.Kind, row[i]); err != nil {
				return fmt.Errorf("postgres: insert into %s: column %s: %w", table, c.Name, err)
			}
		}
	}
	if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{table}, columnNames(cols), pgx.CopyFromRows(values)); err != nil {
		return fmt.Errorf("postgres: insert into %s: %w", table, err)
	}
	return nil
}

func (t tableTx) Clear(ctx context.Context, table string) error {
	if _, err := t.tx.Exec(ctx, `DELETE FROM `+pgx.Identifier{table}.Sanitize()); err != nil {
		return fmt.Errorf("postgres: clear %s: %w", table, err)
	}
	return nil
}

// SetIDHighs sets each identity sequence past the table's highest row and
// the given mark; see store.TableWriter.
func (t tableTx) SetIDHighs(ctx context.Context, highs map[string]int64) error {
	seqs, err := t.identityTables(ctx)
	if err != nil {
		return fmt.Errorf("postgres: SetIDHighs: %w", err)
	}
	for table, seq := range seqs {
		// setval with is_called false for an empty table: its next ID is 1.
		_, err := t.tx.Exec(ctx, `
			WITH high AS (SELECT GREATEST($1::bigint, (SELECT COALESCE(MAX(id), 0) FROM `+pgx.Identifier{table}.Sanitize()+`)) AS n)
			SELECT setval($2::regclass, GREATEST(n, 1), n > 0) FROM high`, highs[table], seq)
		if err != nil {
			return fmt.Errorf("postgres: set %s: %w", seq, err)
		}
	}
	return nil
}
