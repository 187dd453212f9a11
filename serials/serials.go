// Package serials answers "where is this serial number, and which orders
// was it on?" from the Parquet files of the inflow source's serials and
// serial_history tables, without calling the inFlow API. It backs
// `etl serial find SN`.
//
// Find reads the files (or directories of files) it is given and tells them
// apart by their columns: a serials snapshot has serial, snapshot_at and
// on_hand; a serial history has serial, document_type and document_id. Other
// Parquet files found in a directory are passed over.
//
//   - Where it is comes from the newest snapshot only (the largest
//     snapshot_at; for a snapshot without rows, the file's modification
//     time), so that nightly files kept side by side do not show a serial
//     in every place it has been. A serial that moved has a row per place
//     inFlow keeps for it; OnHand marks where it is now.
//   - Which documents it was on comes from every history file, deduplicated
//     by document, line and serial (history exports are full exports, so the
//     newest one already holds everything; older files add nothing but do no
//     harm), sorted by document date.
//
// Serial numbers match after trimming spaces, ignoring case.
package serials

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sources"
)

// Answer is what the exports say about one serial number.
type Answer struct {
	// Serial is the serial number as asked.
	Serial string
	// SnapshotAt is when the snapshot used was taken (UTC); zero when no
	// snapshot file was found.
	SnapshotAt time.Time
	// Places are the serial's rows in the newest snapshot.
	Places []Place
	// Movements are the serial's lines on documents, by document date.
	Movements []Movement
	// SnapshotFile is the snapshot used; HistoryFiles the history files
	// read. Both are empty when none was found.
	SnapshotFile string
	HistoryFiles []string
	// LocationNames maps location ids to names, as the snapshot has them.
	LocationNames map[string]string
}

// Place is one row of the serials snapshot.
type Place struct {
	Serial         string
	ProductID      string
	SKU            string
	ProductName    string
	LocationID     string
	LocationName   string
	Sublocation    string
	QuantityOnHand decimal.Decimal
	// OnHand is set where the serial is in stock now.
	OnHand bool
}

// Movement is one row of the serial history: the serial on one line of a
// document.
type Movement struct {
	Serial         string
	ProductID      string
	DocumentType   string // sales_order, purchase_order, stock_transfer, stock_adjustment
	DocumentID     string
	DocumentNumber string
	DocumentDate   time.Time // zero when unknown
	DocumentStatus string
	IsCancelled    bool
	PartyID        string // customer or vendor
	LineType       string // line, pick, restock, receive, unstock
	LineID         string
	LineDate       time.Time
	// LineQuantity is the quantity of the whole line, in standard units
	// (negative for a return or a stock decrease).
	LineQuantity  decimal.Decimal
	LocationID    string
	Sublocation   string
	ToLocationID  string
	ToSublocation string
}

// Found reports whether the exports know the serial at all.
func (a *Answer) Found() bool { return len(a.Places) > 0 || len(a.Movements) > 0 }

// Current returns the places where the serial is on hand now (normally one).
func (a *Answer) Current() []Place {
	var out []Place
	for _, p := range a.Places {
		if p.OnHand {
			out = append(out, p)
		}
	}
	return out
}

// ErrNoExports is returned (wrapped) when the paths hold no serials or
// serial_history export.
var ErrNoExports = errors.New("no serials or serial_history export found")

// Find looks sn up in the Parquet exports under paths (files, or
// directories searched recursively for *.parquet). It returns an Answer
// without places and movements when the serial is in none of them, and an
// error when no export is found or a file cannot be read.
func Find(ctx context.Context, paths []string, sn string) (*Answer, error) {
	want := strings.TrimSpace(sn)
	if want == "" {
		return nil, errors.New("serial find: the serial number is empty")
	}
	files, err := parquetFiles(paths)
	if err != nil {
		return nil, err
	}
	ans := &Answer{Serial: want, LocationNames: map[string]string{}}
	var bestSnap *snapshotScan
	histSeen := map[string]bool{}
	locNames := ans.LocationNames
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		kind, err := classify(ctx, f.path)
		if err != nil {
			return nil, err
		}
		switch kind {
		case kindSnapshot:
			s, err := scanSnapshot(ctx, f, want, locNames)
			if err != nil {
				return nil, err
			}
			if bestSnap == nil || s.at.After(bestSnap.at) {
				bestSnap = s
			}
		case kindHistory:
			ms, err := scanHistory(ctx, f.path, want)
			if err != nil {
				return nil, err
			}
			ans.HistoryFiles = append(ans.HistoryFiles, f.path)
			for _, m := range ms {
				key := m.DocumentType + "\x00" + m.DocumentID + "\x00" + m.LineType + "\x00" + m.LineID + "\x00" + strings.ToLower(m.Serial)
				if !histSeen[key] {
					histSeen[key] = true
					ans.Movements = append(ans.Movements, m)
				}
			}
		default:
			if f.explicit {
				return nil, fmt.Errorf("serial find: %s is not a serials or serial_history export of the inflow source", f.path)
			}
		}
	}
	if bestSnap == nil && len(ans.HistoryFiles) == 0 {
		return nil, fmt.Errorf("serial find: %w in %s", ErrNoExports, strings.Join(paths, ", "))
	}
	if bestSnap != nil {
		ans.SnapshotFile, ans.SnapshotAt, ans.Places = bestSnap.path, bestSnap.at, bestSnap.places
	}
	for i := range ans.Places {
		if ans.Places[i].LocationName == "" {
			ans.Places[i].LocationName = locNames[ans.Places[i].LocationID]
		}
	}
	slices.SortStableFunc(ans.Movements, func(a, b Movement) int {
		return cmp.Or(a.DocumentDate.Compare(b.DocumentDate), cmp.Compare(a.DocumentNumber, b.DocumentNumber),
			cmp.Compare(lineOrder(a.LineType), lineOrder(b.LineType)))
	})
	return ans, nil
}

// lineOrder puts a document's ordered line before its movements.
func lineOrder(t string) int {
	return slices.Index([]string{"line", "pick", "receive", "restock", "unstock"}, t)
}

type fileRef struct {
	path     string
	explicit bool // named on the command line rather than found in a directory
	modTime  time.Time
}

// parquetFiles expands paths into Parquet files, newest first. Hidden files
// (a sink's temporary files) are passed over.
func parquetFiles(paths []string) ([]fileRef, error) {
	if len(paths) == 0 {
		return nil, errors.New("serial find: no file or directory to search")
	}
	var out []fileRef
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("serial find: %w", err)
		}
		if !st.IsDir() {
			out = append(out, fileRef{path: p, explicit: true, modTime: st.ModTime()})
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if path != p && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !strings.EqualFold(filepath.Ext(name), ".parquet") {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			out = append(out, fileRef{path: path, modTime: info.ModTime()})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("serial find: %w", err)
		}
	}
	slices.SortStableFunc(out, func(a, b fileRef) int { return b.modTime.Compare(a.modTime) })
	return out, nil
}

type fileKind int

const (
	kindOther fileKind = iota
	kindSnapshot
	kindHistory
)

// classify tells a file's table by its columns.
func classify(ctx context.Context, path string) (fileKind, error) {
	src, err := open(ctx, path)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	has := map[string]bool{}
	for _, c := range src.Columns() {
		has[c.Name] = true
	}
	switch {
	case has["serial"] && has["snapshot_at"] && has["on_hand"]:
		return kindSnapshot, nil
	case has["serial"] && has["document_type"] && has["document_id"]:
		return kindHistory, nil
	}
	return kindOther, nil
}

func open(ctx context.Context, path string) (pipeline.Source, error) {
	cfg := &sources.ParquetConfig{Path: path}
	src, err := cfg.Open(ctx, pipeline.Env{})
	if err != nil {
		return nil, fmt.Errorf("serial find: %w", err)
	}
	return src, nil
}

// rows calls fn with each row of a file, its values looked up by column
// name.
func rows(ctx context.Context, path string, fn func(get func(string) any) error) error {
	src, err := open(ctx, path)
	if err != nil {
		return err
	}
	defer src.Close()
	index := map[string]int{}
	for i, c := range src.Columns() {
		index[c.Name] = i
	}
	for {
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("serial find: %s: %w", path, err)
		}
		if len(rec.Problems) > 0 {
			return fmt.Errorf("serial find: %s: %s", path, rec.Problems[0].Error())
		}
		get := func(name string) any {
			if i, ok := index[name]; ok && i < len(rec.Values) {
				return rec.Values[i]
			}
			return nil
		}
		if err := fn(get); err != nil {
			return err
		}
	}
}

func text(v any) string {
	s, _ := v.(string)
	return s
}

func instant(v any) time.Time {
	t, _ := v.(time.Time)
	return t.UTC()
}

func number(v any) decimal.Decimal {
	d, _ := v.(decimal.Decimal)
	return d
}

func flag(v any) bool {
	b, _ := v.(bool)
	return b
}

func same(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), b) }

type snapshotScan struct {
	path   string
	at     time.Time
	places []Place
}

// scanSnapshot reads a snapshot file: its time and the serial's rows. It
// also learns location names, for movements.
func scanSnapshot(ctx context.Context, f fileRef, sn string, locNames map[string]string) (*snapshotScan, error) {
	s := &snapshotScan{path: f.path}
	err := rows(ctx, f.path, func(get func(string) any) error {
		if at := instant(get("snapshot_at")); at.After(s.at) {
			s.at = at
		}
		if id, name := text(get("location_id")), text(get("location_name")); id != "" && name != "" {
			locNames[id] = name
		}
		if !same(text(get("serial")), sn) {
			return nil
		}
		s.places = append(s.places, Place{
			Serial:         text(get("serial")),
			ProductID:      text(get("product_id")),
			SKU:            text(get("sku")),
			ProductName:    text(get("product_name")),
			LocationID:     text(get("location_id")),
			LocationName:   text(get("location_name")),
			Sublocation:    text(get("sublocation")),
			QuantityOnHand: number(get("quantity_on_hand")),
			OnHand:         flag(get("on_hand")),
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.at.IsZero() {
		s.at = f.modTime.UTC()
	}
	return s, nil
}

// scanHistory reads the serial's rows of a history file.
func scanHistory(ctx context.Context, path, sn string) ([]Movement, error) {
	var out []Movement
	err := rows(ctx, path, func(get func(string) any) error {
		if !same(text(get("serial")), sn) {
			return nil
		}
		out = append(out, Movement{
			Serial:         text(get("serial")),
			ProductID:      text(get("product_id")),
			DocumentType:   text(get("document_type")),
			DocumentID:     text(get("document_id")),
			DocumentNumber: text(get("document_number")),
			DocumentDate:   instant(get("document_date")),
			DocumentStatus: text(get("document_status")),
			IsCancelled:    flag(get("is_cancelled")),
			PartyID:        text(get("party_id")),
			LineType:       text(get("line_type")),
			LineID:         text(get("line_id")),
			LineDate:       instant(get("line_date")),
			LineQuantity:   number(get("line_quantity")),
			LocationID:     text(get("location_id")),
			Sublocation:    text(get("sublocation")),
			ToLocationID:   text(get("to_location_id")),
			ToSublocation:  text(get("to_sublocation")),
		})
		return nil
	})
	return out, err
}
