package serials

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks"
	inflowsrc "github.com/etl-dev/etl/sources/inflow"
)

// write writes rows (values by column name) as Parquet with the columns
// the inflow source declares for entity/table.
func write(t *testing.T, path, table string, rows ...map[string]any) {
	t.Helper()
	cols, err := inflowsrc.Columns("products", table)
	if err != nil {
		t.Fatal(err)
	}
	write2(t, path, cols, rows...)
}

func write2(t *testing.T, path string, cols []pipeline.Column, rows ...map[string]any) {
	t.Helper()
	var schema pipeline.Schema
	for _, c := range cols {
		schema = append(schema, pipeline.Field{Name: c.Name, Type: c.Type, Precision: c.Precision, Scale: c.Scale})
	}
	cfg := sinks.NewParquetConfig()
	cfg.Path = path
	ctx := context.Background()
	sink, err := cfg.Open(ctx, pipeline.Env{}, schema)
	if err != nil {
		t.Fatal(err)
	}
	var prow []pipeline.Row
	for _, r := range rows {
		vals := make([]any, len(schema))
		for i, f := range schema {
			vals[i] = r[f.Name]
		}
		prow = append(prow, pipeline.Row{Values: vals})
	}
	if len(prow) > 0 {
		if err := sink.Write(ctx, prow); err != nil {
			t.Fatal(err)
		}
	}
	if err := sink.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

var (
	t1 = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	t2 = time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)
)

func place(at time.Time, sn, loc, locName, sub string, qty int64) map[string]any {
	return map[string]any{"snapshot_at": at, "serial": sn, "product_id": "p1", "sku": "SPK", "product_name": "Speaker",
		"location_id": loc, "location_name": locName, "sublocation": sub,
		"quantity_on_hand": decimal.NewFromInt(qty), "on_hand": qty > 0}
}

func move(sn, typ, id, number string, date time.Time, line, lineID, loc string) map[string]any {
	return map[string]any{"serial": sn, "product_id": "p1", "document_type": typ, "document_id": id, "document_number": number,
		"document_date": date, "line_type": line, "line_id": lineID, "location_id": loc, "line_quantity": decimal.NewFromInt(1),
		"is_cancelled": false}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	// Two nightly snapshots: the serial moved from L1 to L2 between them.
	write(t, filepath.Join(dir, "serials/date=2026-11-20/serials.parquet"), "serials",
		place(t1, "SN-1", "L1", "Main", "A-1", 1), place(t1, "SN-2", "L1", "Main", "A-2", 1))
	write(t, filepath.Join(dir, "serials/date=2026-11-21/serials.parquet"), "serials",
		place(t2, "SN-1", "L1", "Main", "A-1", 0), place(t2, "SN-1", "L2", "Showroom", "", 1), place(t2, "SN-2", "L1", "Main", "A-2", 0))
	// Two history files that overlap, out of date order.
	so := move("SN-2", "sales_order", "o1", "SO-9", t2, "line", "l9", "L1")
	write(t, filepath.Join(dir, "history/a.parquet"), "serial_history",
		move("SN-1", "stock_transfer", "tr1", "TO-1", t2, "line", "tl1", "L1"),
		move("SN-1", "purchase_order", "po1", "PO-1", t1, "receive", "rl1", "L1"),
		move("SN-1", "purchase_order", "po1", "PO-1", t1, "line", "pl1", "L1"), so)
	write(t, filepath.Join(dir, "history/b.parquet"), "serial_history",
		move("SN-1", "purchase_order", "po1", "PO-1", t1, "line", "pl1", "L1"), so)
	// Other exports and a sink's temporary file are passed over.
	cols, _ := inflowsrc.Columns("products", "products")
	write2(t, filepath.Join(dir, "products.parquet"), cols)
	if err := os.WriteFile(filepath.Join(dir, "history/.b.parquet.123.tmp"), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}

	ans, err := Find(context.Background(), []string{dir}, "  sn-1 ")
	if err != nil {
		t.Fatal(err)
	}
	if !ans.SnapshotAt.Equal(t2) || !strings.Contains(ans.SnapshotFile, "2026-11-21") {
		t.Errorf("snapshot %v %s, want the newest", ans.SnapshotAt, ans.SnapshotFile)
	}
	if cur := ans.Current(); len(cur) != 1 || cur[0].LocationID != "L2" || cur[0].Serial != "SN-1" || cur[0].SKU != "SPK" {
		t.Errorf("current %+v", cur)
	}
	if len(ans.Places) != 2 {
		t.Errorf("places %+v", ans.Places)
	}
	var got []string
	for _, m := range ans.Movements {
		got = append(got, m.DocumentNumber+"/"+m.LineType)
	}
	if strings.Join(got, " ") != "PO-1/line PO-1/receive TO-1/line" {
		t.Errorf("movements %v", got)
	}
	if len(ans.HistoryFiles) != 2 {
		t.Errorf("history files %v", ans.HistoryFiles)
	}
	var b strings.Builder
	ans.WriteText(&b)
	for _, want := range []string{"SN-1: Speaker (SKU SPK)", "on hand at Showroom (snapshot of 2026-11-21 02:00 UTC)", "on 2 document(s)", "TO-1"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}

	// Sold: on a sales order, on hand nowhere.
	ans, _ = Find(context.Background(), []string{dir}, "SN-2")
	if len(ans.Current()) != 0 || len(ans.Movements) != 1 || ans.Movements[0].DocumentNumber != "SO-9" {
		t.Errorf("SN-2: %+v", ans)
	}
	b.Reset()
	ans.WriteText(&b)
	if !strings.Contains(b.String(), "not on hand anywhere") || !strings.Contains(b.String(), "Main / A-2") {
		t.Errorf("SN-2 text:\n%s", b.String())
	}

	// Unknown: an answer that found nothing.
	ans, err = Find(context.Background(), []string{dir}, "SN-404")
	if err != nil || ans.Found() {
		t.Errorf("SN-404: %+v %v", ans, err)
	}
	b.Reset()
	ans.WriteText(&b)
	if !strings.HasPrefix(b.String(), "SN-404: not found") {
		t.Errorf("SN-404 text: %s", b.String())
	}
}

func TestFindErrors(t *testing.T) {
	dir := t.TempDir()
	cols, _ := inflowsrc.Columns("products", "products")
	other := filepath.Join(dir, "products.parquet")
	write2(t, other, cols)
	if _, err := Find(context.Background(), []string{dir}, "X"); !errors.Is(err, ErrNoExports) {
		t.Errorf("no exports: %v", err)
	}
	if _, err := Find(context.Background(), []string{other}, "X"); err == nil || !strings.Contains(err.Error(), "not a serials or serial_history export") {
		t.Errorf("explicit other file: %v", err)
	}
	if _, err := Find(context.Background(), []string{filepath.Join(dir, "missing")}, "X"); err == nil {
		t.Error("missing dir: no error")
	}
	if _, err := Find(context.Background(), []string{dir}, " "); err == nil {
		t.Error("empty serial: no error")
	}
	bad := filepath.Join(dir, "bad.parquet")
	os.WriteFile(bad, []byte("not parquet"), 0o644)
	if _, err := Find(context.Background(), []string{dir}, "X"); err == nil || !strings.Contains(err.Error(), "bad.parquet") {
		t.Errorf("corrupt file: %v", err)
	}
}

// A snapshot without rows is dated by its file: a newer empty snapshot
// means the serial is no longer anywhere.
func TestFindEmptySnapshot(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.parquet")
	write(t, old, "serials", place(t1, "SN-1", "L1", "Main", "", 1))
	empty := filepath.Join(dir, "new.parquet")
	write(t, empty, "serials")
	os.Chtimes(empty, time.Now(), time.Now())
	ans, err := Find(context.Background(), []string{dir}, "SN-1")
	if err != nil {
		t.Fatal(err)
	}
	if ans.SnapshotFile != empty || ans.Found() {
		t.Errorf("answer %+v", ans)
	}
}
