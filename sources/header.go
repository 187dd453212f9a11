package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

// headerScan is how many rows DetectHeaderRow looks at.
const headerScan = 30

// DetectHeaderRow finds the row that holds the column names of a CSV or
// Excel file whose export puts title rows, dates or notes above them: when
// the first row is narrower than the rows below (a title), the first
// row with at least two distinct text cells (no numbers, no dates) that is
// about as wide as the rows below it. It returns 1 when no row stands out,
// and for other source types. cfg is a *CSVConfig or
// *XLSXConfig; its header_row is ignored.
func DetectHeaderRow(ctx context.Context, cfg pipeline.SourceConfig, env pipeline.Env) (int, error) {
	rows, nums, err := firstRows(ctx, cfg, env)
	if err != nil || len(rows) == 0 {
		return 1, err
	}
	widest := 0
	for _, r := range rows {
		widest = max(widest, filled(r))
	}
	if nums[0] == 1 && filled(rows[0]) >= widest {
		return 1, nil // row 1 is the widest: no title above it
	}
	for i, r := range rows {
		n := filled(r)
		if n < 2 || n*2 < widest || !headerLike(r) {
			continue
		}
		// The rows below must be data, about as wide.
		below := 0
		for _, d := range rows[i+1:] {
			if filled(d)*2 >= n {
				below++
			}
		}
		if below > 0 || i == len(rows)-1 {
			return nums[i], nil
		}
	}
	return 1, nil
}

// firstRows reads the first rows of the file as text, with their row
// numbers (as a spreadsheet shows them), blank rows left out.
func firstRows(ctx context.Context, cfg pipeline.SourceConfig, env pipeline.Env) ([][]string, []int, error) {
	switch c := cfg.(type) {
	case *CSVConfig:
		cc := *c
		cc.HeaderRow = 1
		src, err := cc.Open(ctx, env)
		if err != nil {
			return nil, nil, err
		}
		defer src.Close()
		s := src.(*csvSource)
		rows := [][]string{headerTexts(s.columns)}
		nums := []int{1}
		for len(rows) < headerScan {
			rec, err := s.read()
			if err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				return nil, nil, err
			}
			if allEmpty(rec.fields) {
				continue
			}
			rows = append(rows, append([]string(nil), rec.fields...))
			nums = append(nums, rec.row)
		}
		return rows, nums, nil
	case *XLSXConfig:
		return xlsxFirstRows(ctx, c, env)
	}
	return nil, nil, nil
}

// xlsxFirstRows reads the first rows of the sheet cfg names.
func xlsxFirstRows(ctx context.Context, cfg *XLSXConfig, env pipeline.Env) ([][]string, []int, error) {
	f, err := openInput(ctx, env.Path(cfg.Path))
	if err != nil {
		return nil, nil, fmt.Errorf("xlsx source: %w", err)
	}
	defer f.Close()
	book, err := checkedBook(f, env.Display(cfg.Path), env.Path(cfg.Path))
	if err != nil {
		return nil, nil, err
	}
	sheet, _, err := pickSheet(cfg.Sheet, book, cfg.Path)
	if err != nil {
		return nil, nil, err
	}
	if err := book.loadSharedStrings(); err != nil {
		return nil, nil, err
	}
	stream, err := book.openSheet(sheet)
	if err != nil {
		return nil, nil, err
	}
	defer stream.Close()
	s := &xlsxSource{book: book, rows: stream, date1904: book.date1904}
	var rows [][]string
	var nums []int
	for len(rows) < headerScan {
		cells, err := s.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, nil, err
		}
		var texts []string
		for _, c := range cells {
			for len(texts) < c.col {
				texts = append(texts, "")
			}
			v, _, _ := s.convert(c)
			texts = append(texts, v)
		}
		if allEmpty(texts) {
			continue
		}
		rows = append(rows, texts)
		nums = append(nums, s.rowNum)
	}
	return rows, nums, nil
}

func headerTexts(cols []pipeline.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		if c.Name != "column_"+c.Ref {
			out[i] = c.Name
		}
	}
	return out
}

// filled counts the non-blank cells.
func filled(r []string) int {
	n := 0
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// headerLike reports a row of distinct names: no cell a number or a date.
func headerLike(r []string) bool {
	seen := map[string]bool{}
	for _, c := range r {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if seen[c] || looksNumeric(c) {
			return false
		}
		seen[c] = true
	}
	return true
}

func looksNumeric(s string) bool {
	t := strings.NewReplacer(",", "", ".", "", " ", "", "$", "", "€", "", "£", "", "%", "", "-", "", "/", "", ":", "").Replace(s)
	if t == "" {
		return false
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil {
		return true
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
