package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlstore"
)

var _ store.Tables = (*DB)(nil)

// Tables lists the database's tables but the full-text indexes (FTS5
// virtual tables and their shadow tables, which the articles' triggers
// fill) and the tables of ID marks (idHigh, see SetIDHighs); see
// store.Tables.
func (db *DB) Tables(ctx context.Context) (_ []store.Table, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("sqlite: Tables: %w", err)
		}
	}()
	marks := map[string]bool{}
	for _, high := range idHigh {
		marks[high] = true
	}
	// table_list says "virtual" and "shadow" for the FTS5 tables.
	rows, err := db.reader.QueryContext(ctx, `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, err
		}
		if !strings.HasPrefix(name, "sqlite_") && !marks[name] {
			names = append(names, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var tables []store.Table
	for _, name := range names {
		t, err := db.describe(ctx, name)
		if err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	return tables, nil
}

// describe reads one table's columns, key and foreign keys.
func (db *DB) describe(ctx context.Context, name string) (store.Table, error) {
	t := store.Table{Name: name}
	_, t.Identity = idHigh[name]
	rows, err := db.reader.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid`, name)
	if err != nil {
		return t, err
	}
	keys := map[int]string{}
	for rows.Next() {
		var col, typ string
		var pk int
		if err := rows.Scan(&col, &typ, &pk); err != nil {
			rows.Close()
			return t, err
		}
		t.Columns = append(t.Columns, store.Column{Name: col, Kind: affinity(typ)})
		if pk > 0 {
			keys[pk] = col
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	for i := 1; i <= len(keys); i++ {
		t.Key = append(t.Key, keys[i])
	}
	rows, err = db.reader.QueryContext(ctx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return t, err
		}
		t.References = append(t.References, ref)
	}
	return t, rows.Err()
}

// affinity is the kind a declared type gives, by SQLite's rules of type
// affinity (https://sqlite.org/datatype3.html, 3.1): times are TEXT and
// booleans INTEGER here, which only the other side of a copy can tell.
func affinity(typ string) store.ColumnKind {
	t := strings.ToUpper(typ)
	switch {
	case strings.Contains(t, "INT"):
		return store.KindInt
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"):
		return store.KindText
	case t == "", strings.Contains(t, "BLOB"):
		return store.KindBlob
	}
	return store.KindReal
}

// ReadTables reads in one read transaction, which in WAL mode sees one
// snapshot however long it lasts, on a connection of the readers' pool;
// see store.Tables.
func (db *DB) ReadTables(ctx context.Context, fn func(store.TableReader) error) error {
	tx, err := db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: ReadTables: %w", err)
	}
	defer tx.Rollback()
	return fn(tableTx{tx: tx})
}

// WriteTables writes in one transaction with foreign keys checked at its
// commit, so that rows may come in any order; see store.Tables.
func (db *DB) WriteTables(ctx context.Context, fn func(store.TableWriter) error) (err error) {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: WriteTables: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	// Reset by SQLite when the transaction ends.
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return fmt.Errorf("sqlite: WriteTables: %w", err)
	}
	w := tableTx{tx: tx, inserts: map[string]*sql.Stmt{}}
	defer w.close()
	if err := fn(w); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: WriteTables: commit: %w", err)
	}
	return nil
}

// tableTx reads and writes tables in a transaction.
type tableTx struct {
	tx *sql.Tx
	// inserts caches each table's INSERT statement, by table and columns.
	inserts map[string]*sql.Stmt
}

func (t tableTx) close() {
	for _, st := range t.inserts {
		st.Close()
	}
}

// quote is an identifier quoted for SQL, names coming from the catalog.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

func columnNames(cols []store.Column) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}

func (t tableTx) Scan(ctx context.Context, table string, cols []store.Column, orderBy []string, batch int, fn func([][]any) error) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("sqlite: read %s: %w", table, err)
		}
	}()
	q := `SELECT ` + quoteAll(columnNames(cols)) + ` FROM ` + quote(table)
	if len(orderBy) > 0 {
		q += ` ORDER BY ` + quoteAll(orderBy)
	}
	rows, err := t.tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var out [][]any
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row := make([]any, len(cols))
		for i, c := range cols {
			if row[i], err = fromSQLite(c.Kind, raw[i]); err != nil {
				return fmt.Errorf("column %s: %w", c.Name, err)
			}
		}
		out = append(out, row)
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

// fromSQLite is a stored value as the Go type of its kind.
func fromSQLite(kind store.ColumnKind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind {
	case store.KindInt, store.KindBool:
		var n int64
		switch v := v.(type) {
		case int64:
			n = v
		case string:
			// A number kept as text (a column of no declared type).
			p, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%q is not an integer", v)
			}
			n = p
		default:
			return nil, fmt.Errorf("%T is not an integer", v)
		}
		if kind == store.KindBool {
			return n != 0, nil
		}
		return n, nil
	case store.KindReal:
		switch v := v.(type) {
		case float64:
			return v, nil
		case int64:
			return float64(v), nil
		}
		return nil, fmt.Errorf("%T is not a number", v)
	case store.KindBlob:
		switch v := v.(type) {
		case []byte:
			return v, nil
		case string:
			return []byte(v), nil
		}
		return nil, fmt.Errorf("%T is not a blob", v)
	}
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return nil, fmt.Errorf("%T is not text", v)
	}
	if kind == store.KindTime {
		t, err := time.Parse(sqlstore.TextTimeLayout, s)
		if err != nil {
			// Not as the store writes times: take any RFC 3339 time.
			if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
				return nil, fmt.Errorf("%q is not a time", s)
			}
		}
		return t.UTC(), nil
	}
	return s, nil
}

// toSQLite is a value in the Go type of its kind as SQLite keeps it.
func toSQLite(kind store.ColumnKind, v any) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case bool:
		if v {
			return int64(1), nil
		}
		return int64(0), nil
	case time.Time:
		if kind == store.KindDate {
			return v.UTC().Format(time.DateOnly), nil
		}
		return v.UTC().Format(sqlstore.TextTimeLayout), nil
	case int64, float64, string, []byte:
		return v, nil
	}
	return nil, fmt.Errorf("cannot store a %T", v)
}

func (t tableTx) Count(ctx context.Context, table string) (n int64, err error) {
	if err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM `+quote(table)).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count %s: %w", table, err)
	}
	return n, nil
}

// IDHighs reads the marks migrations 0007 and 0011 keep; see
// store.TableReader.
func (t tableTx) IDHighs(ctx context.Context) (map[string]int64, error) {
	highs := map[string]int64{}
	for table, high := range idHigh {
		var n int64
		if err := t.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+high).Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlite: read %s: %w", high, err)
		}
		highs[table] = n
	}
	return highs, nil
}

func (t tableTx) Insert(ctx context.Context, table string, cols []store.Column, rows [][]any) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("sqlite: insert into %s: %w", table, err)
		}
	}()
	names := columnNames(cols)
	cacheKey := table + "\x00" + strings.Join(names, "\x00")
	st, ok := t.inserts[cacheKey]
	if !ok {
		q := `INSERT INTO ` + quote(table) + ` (` + quoteAll(names) + `) VALUES (?` + strings.Repeat(", ?", len(cols)-1) + `)`
		if st, err = t.tx.PrepareContext(ctx, q); err != nil {
			return err
		}
		t.inserts[cacheKey] = st
	}
	args := make([]any, len(cols))
	for _, row := range rows {
		for i, c := range cols {
			if args[i], err = toSQLite(c.Kind, row[i]); err != nil {
				return fmt.Errorf("column %s: %w", c.Name, err)
			}
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

func (t tableTx) Clear(ctx context.Context, table string) error {
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM `+quote(table)); err != nil {
		return fmt.Errorf("sqlite: clear %s: %w", table, err)
	}
	return nil
}

// SetIDHighs raises the ID marks (the tables' triggers have raised them
// to the rows inserted already); see store.TableWriter.
func (t tableTx) SetIDHighs(ctx context.Context, highs map[string]int64) error {
	for table, high := range idHigh {
		if _, err := t.tx.ExecContext(ctx, `UPDATE `+high+` SET id = max(id, ?)`, highs[table]); err != nil {
			return fmt.Errorf("sqlite: set %s: %w", high, err)
		}
	}
	return nil
}
