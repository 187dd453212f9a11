package report

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/etl-dev/etl/pipeline"
)

// What an annotated copy looks like.
const (
	// ErrorsHeader heads the column Annotate appends after the last one.
	ErrorsHeader = "Errors"
	// CommentAuthor is the author of the comments Annotate adds; comments by
	// this author in the input (left by an earlier run) are replaced.
	CommentAuthor = "etl"
	// CommentPrefix starts every comment Annotate writes.
	CommentPrefix = "etl: "
	// ProblemsSheet is the sheet Annotate adds that lists every problem,
	// each with a link to its cell. ProblemsTitle heads its first column
	// and marks the sheet as Annotate's, to be replaced by the next run.
	ProblemsSheet = "Problems"
	ProblemsTitle = "Problem"
	// BadCellFill is the fill of a cell a problem names (Excel's "Bad").
	BadCellFill = "FFC7CE"
	// BadRowFill is the fill of the other cells of a row with a problem that
	// names no cell, and of the Errors cell of every annotated row.
	BadRowFill = "FFF2CC"

	errorsColumnWidth = 60
)

// Annotate writes to outPath an .xlsx copy of the input of src that shows
// the problems where they are: each cell a problem names gets a red fill and
// the messages as a comment, the cells of a row whose problem names no cell
// get a light fill, and an Errors column after the last one holds each bad
// row's messages joined by "; ". The user fixes the copy and runs the job on
// it again.
//
// When the source reads an .xlsx file (pipeline.FileSource with format
// "xlsx"), the copy is that workbook with the source sheet annotated in
// place: every other sheet, style, formula and comment is kept. Any other
// source is read again through src and its records are written to a new
// workbook: a header row, the values, the Errors column, and the fills
// (problems are matched to records by origin row and column name; a new
// workbook gets no comments, the Errors column says it all).
//
// Problems without a row (Origin.Row 0 and no cell) cannot be placed and are
// left out. The copy is written to a temporary file and renamed, never over
// the input.
func Annotate(ctx context.Context, src pipeline.SourceConfig, env pipeline.Env, problems []pipeline.Problem, outPath string) error {
	return annotate(ctx, src, env, problems, outPath, commentWork)
}

// annotate is Annotate with the bound on comment work (see commentWork).
func annotate(ctx context.Context, src pipeline.SourceConfig, env pipeline.Env, problems []pipeline.Problem, outPath string, work int) error {
	if src == nil {
		return errors.New("report: annotated copy: no source")
	}
	if !strings.EqualFold(filepath.Ext(outPath), ".xlsx") {
		return fmt.Errorf("report: annotated copy %s: the name must end in .xlsx", outPath)
	}
	s, err := src.Open(ctx, env)
	if err != nil {
		return fmt.Errorf("report: annotated copy: opening the source: %w", err)
	}
	defer s.Close()
	if fs, ok := s.(pipeline.FileSource); ok {
		info := fs.File()
		if sameFile(info.Path, outPath) {
			return fmt.Errorf("report: annotated copy %s would overwrite the input %s; choose another name", outPath, info.Path)
		}
		if strings.EqualFold(info.Format, "xlsx") {
			cols := s.Columns()
			if err := s.Close(); err != nil {
				return fmt.Errorf("report: annotated copy: closing the source: %w", err)
			}
			return annotateWorkbook(ctx, env, info, cols, problems, outPath, work)
		}
	}
	return annotateRecords(ctx, env, s, problems, outPath)
}

// sameFile reports whether a and b name the same file.
func sameFile(a, b string) bool {
	aa, errA := filepath.Abs(a)
	bb, errB := filepath.Abs(b)
	if errA == nil && errB == nil && aa == bb {
		return true
	}
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(sa, sb)
}

// rowNotes collects what to show on one row.
type rowNotes struct {
	cells    map[int][]string // 1-based column → messages for its comment
	whole    bool             // a problem names no cell: mark the row
	messages []string         // for the Errors column, without repeats
}

func (n *rowNotes) add(p pipeline.Problem, col int) {
	if col > 0 {
		if n.cells == nil {
			n.cells = make(map[int][]string)
		}
		if !slices.Contains(n.cells[col], p.Message) {
			n.cells[col] = append(n.cells[col], p.Message)
		}
	} else {
		n.whole = true
	}
	if m := errorText(p); !slices.Contains(n.messages, m) {
		n.messages = append(n.messages, m)
	}
}

func (n *rowNotes) errors() string { return strings.Join(n.messages, "; ") }

// errorText is a problem's message for the Errors column, prefixed with the
// column (or field) it is about unless the message already starts with it.
func errorText(p pipeline.Problem) string {
	name := p.Column
	if name == "" {
		name = p.Field
	}
	if name == "" || len(p.Message) >= len(name) && strings.EqualFold(p.Message[:len(name)], name) {
		return p.Message
	}
	return name + ": " + p.Message
}

// problemRow is the row a problem is on: its origin row, or else the row of
// its cell.
func problemRow(p pipeline.Problem) int {
	if p.Origin.Row > 0 {
		return p.Origin.Row
	}
	if p.Cell != "" {
		if _, r, err := excelize.CellNameToCoordinates(p.Cell); err == nil {
			return r
		}
	}
	return 0
}

// cellColumn is the 1-based column of a problem's cell reference, or 0.
func cellColumn(p pipeline.Problem) int {
	if p.Cell == "" {
		return 0
	}
	c, _, err := excelize.CellNameToCoordinates(p.Cell)
	if err != nil {
		return 0
	}
	return c
}

func fillStyle(color string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
}

// ---- annotating the source workbook in place ----

// sheetLayout is what Annotate needs to know about the source sheet.
type sheetLayout struct {
	header  int            // header row, 0 when there is none
	columns map[string]int // column name → 1-based column
	errCol  int            // 1-based column of the Errors column
	reuse   bool           // errCol is the Errors column of an earlier run
	stale   []int          // rows whose Errors cell holds an earlier run's text
	rows    int            // rows in the sheet
}

// commentWork bounds the comments Annotate adds to a sheet, counted as
// comments times rows of the sheet: excelize places each comment by walking
// the sheet's rows, so ten thousand comments on a sheet of fifty thousand
// rows would take half a minute. Past the bound, cells get their fill and
// the Errors column but no comment. The bound is a few seconds of work.
const commentWork = 100_000_000

func annotateWorkbook(ctx context.Context, env pipeline.Env, info pipeline.FileInfo, cols []pipeline.Column, problems []pipeline.Problem, outPath string, commentWork int) error {
	f, err := excelize.OpenFile(info.Path)
	if err != nil {
		return fmt.Errorf("report: annotated copy: %w", err)
	}
	defer f.Close()
	sheet, err := pickSheet(f, info.Sheet, problems)
	if err != nil {
		return err
	}
	l, err := scanSheet(ctx, f, sheet, info.HeaderRow, cols)
	if err != nil {
		return err
	}

	// Comments left by an earlier run go; the user's own stay and get ours
	// appended.
	comments, err := f.GetComments(sheet)
	if err != nil {
		return fmt.Errorf("report: annotated copy: reading comments of %s: %w", sheet, err)
	}
	userComments := make(map[string]excelize.Comment)
	for _, c := range comments {
		if c.Author == CommentAuthor {
			if err := f.DeleteComment(sheet, c.Cell); err != nil {
				return fmt.Errorf("report: annotated copy: %w", err)
			}
		} else {
			userComments[c.Cell] = c
		}
	}
	for _, r := range l.stale {
		cell := cellName(l.errCol, r)
		err := f.SetCellValue(sheet, cell, nil)
		if err == nil {
			err = f.SetCellStyle(sheet, cell, cell, 0) // the fill was ours too
		}
		if err != nil {
			return fmt.Errorf("report: annotated copy: %w", err)
		}
	}

	notes := make(map[int]*rowNotes)
	unplaced := 0
	links := make([]problemLink, 0, len(problems))
	for _, p := range problems {
		if p.Origin.Sheet != "" && p.Origin.Sheet != sheet {
			unplaced++
			links = append(links, problemLink{p: p})
			continue
		}
		row := problemRow(p)
		if row <= 0 || row > excelize.TotalRows {
			unplaced++
			links = append(links, problemLink{p: p})
			continue
		}
		col := cellColumn(p)
		if col == 0 && p.Column != "" {
			col = l.columns[p.Column]
		}
		if col >= l.errCol {
			col = 0 // not a cell of the data
		}
		if col > 0 {
			links = append(links, problemLink{p, sheet, cellName(col, row)})
		} else {
			links = append(links, problemLink{p, sheet, cellName(l.errCol, row)})
		}
		n := notes[row]
		if n == nil {
			n = &rowNotes{}
			notes[row] = n
		}
		n.add(p, col)
	}
	if unplaced > 0 {
		env.Log().Warn(fmt.Sprintf("the annotated copy cannot mark %d %s on sheet %s (no row there); the Problems sheet lists %s",
			unplaced, plural(unplaced, "problem", "problems"), sheet, plural(unplaced, "it", "them")))
	}

	st := &styler{f: f, sheet: sheet, ids: make(map[styleKey]int)}
	maxComments, commented, uncommented := commentWork/max(l.rows, 1), 0, 0
	for i, row := range slices.Sorted(maps.Keys(notes)) {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		n := notes[row]
		if n.whole {
			for c := 1; c < l.errCol; c++ {
				if _, bad := n.cells[c]; !bad {
					if err := st.fill(c, row, BadRowFill); err != nil {
						return err
					}
				}
			}
		}
		for _, c := range slices.Sorted(maps.Keys(n.cells)) {
			if err := st.fill(c, row, BadCellFill); err != nil {
				return err
			}
			if commented == maxComments {
				uncommented++
				continue
			}
			commented++
			if err := comment(f, sheet, cellName(c, row), n.cells[c], userComments); err != nil {
				return err
			}
		}
		if row == l.header {
			continue // the header's problems show on its cells; its Errors cell is the title
		}
		if err := f.SetCellStr(sheet, cellName(l.errCol, row), n.errors()); err != nil {
			return fmt.Errorf("report: annotated copy: %w", err)
		}
		if err := st.fill(l.errCol, row, BadRowFill); err != nil {
			return err
		}
	}

	if uncommented > 0 {
		env.Log().Warn(fmt.Sprintf("the annotated copy has comments on the first %d bad cells of sheet %s only (too many on a sheet this long); the other %d are filled and listed in the Errors column and the Problems sheet",
			commented, sheet, uncommented))
	}

	if l.header > 0 {
		title := cellName(l.errCol, l.header)
		if err := f.SetCellStr(sheet, title, ErrorsHeader); err != nil {
			return fmt.Errorf("report: annotated copy: %w", err)
		}
		if !l.reuse && l.errCol > 1 {
			// The title looks like the header cell before it.
			id, err := f.GetCellStyle(sheet, cellName(l.errCol-1, l.header))
			if err == nil && id != 0 {
				err = f.SetCellStyle(sheet, title, title, id)
			}
			if err != nil {
				return fmt.Errorf("report: annotated copy: %w", err)
			}
		}
	}
	if !l.reuse {
		name, _ := excelize.ColumnNumberToName(l.errCol)
		if err := f.SetColWidth(sheet, name, name, errorsColumnWidth); err != nil {
			return fmt.Errorf("report: annotated copy: %w", err)
		}
	}
	if err := addProblemsSheet(f, links); err != nil {
		return err
	}
	if idx, err := f.GetSheetIndex(sheet); err == nil {
		f.SetActiveSheet(idx)
	}

	// The content type follows the name: the copy is always an .xlsx.
	f.Path = outPath
	return writeAtomic(outPath, func(w io.Writer) error { return f.Write(w) })
}

// pickSheet returns the sheet to annotate: the one the source read, else the
// one the problems name, else the first.
func pickSheet(f *excelize.File, sheet string, problems []pipeline.Problem) (string, error) {
	list := f.GetSheetList()
	if sheet != "" {
		if !slices.Contains(list, sheet) {
			return "", fmt.Errorf("report: annotated copy: no sheet %q in %s", sheet, f.Path)
		}
		return sheet, nil
	}
	for _, p := range problems {
		if p.Origin.Sheet != "" && slices.Contains(list, p.Origin.Sheet) {
			return p.Origin.Sheet, nil
		}
	}
	if len(list) == 0 {
		return "", fmt.Errorf("report: annotated copy: %s has no sheets", f.Path)
	}
	return list[0], nil
}

// scanSheet reads the sheet once to find the header, the columns and where
// the Errors column goes: after the last column holding a value in any row,
// or in place of the Errors column of an earlier run.
func scanSheet(ctx context.Context, f *excelize.File, sheet string, headerRow int, cols []pipeline.Column) (*sheetLayout, error) {
	l := &sheetLayout{header: headerRow, columns: make(map[string]int)}
	last := 0 // last column with a value, not counting an earlier Errors column
	for _, c := range cols {
		if n, err := excelize.ColumnNameToNumber(c.Ref); c.Ref != "" && err == nil {
			if _, dup := l.columns[c.Name]; !dup {
				l.columns[c.Name] = n
			}
			last = max(last, n)
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("report: annotated copy: reading %s: %w", sheet, err)
	}
	defer rows.Close()
	earlier := 0 // column of an earlier run's Errors column, from the header
	for r := 1; rows.Next(); r++ {
		if r%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		vals, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("report: annotated copy: reading %s row %d: %w", sheet, r, err)
		}
		if r == 1 && l.header == 0 && looksLikeHeader(vals, cols) {
			l.header = 1
		}
		if r == l.header {
			for i, v := range vals {
				if _, known := l.columns[v]; v != "" && !known {
					l.columns[v] = i + 1
				}
			}
			if i := lastValue(vals, 0); i > 0 && vals[i-1] == ErrorsHeader {
				earlier = i
			}
		}
		l.rows = r
		last = max(last, lastValue(vals, earlier))
		if earlier > 0 && r != l.header && len(vals) >= earlier && vals[earlier-1] != "" {
			l.stale = append(l.stale, r)
		}
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("report: annotated copy: reading %s: %w", sheet, err)
	}
	if earlier > 0 && last < earlier {
		l.errCol, l.reuse = earlier, true
	} else {
		l.errCol, l.stale = last+1, nil
	}
	if l.errCol > excelize.MaxColumns {
		return nil, fmt.Errorf("report: annotated copy: %s has no room for an %s column", sheet, ErrorsHeader)
	}
	return l, nil
}

// lastValue returns the 1-based column of the last non-empty value, not
// counting column skip.
func lastValue(vals []string, skip int) int {
	for i := len(vals); i > 0; i-- {
		if i != skip && vals[i-1] != "" {
			return i
		}
	}
	return 0
}

// looksLikeHeader reports whether a row holds the source's column names.
func looksLikeHeader(vals []string, cols []pipeline.Column) bool {
	matched := 0
	for i, c := range cols {
		if i < len(vals) && c.Name != "" && vals[i] == c.Name {
			matched++
		}
	}
	return matched > 0 && matched*2 >= len(cols)
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// commentSeparator goes between Annotate's part of a comment and the text
// of the comment the user had on the cell, which follows it.
const commentSeparator = "\n\nEarlier comment:\n"

// commentText is the text of a comment after CommentPrefix: the message,
// or the messages as a list.
func commentText(msgs []string) string {
	if len(msgs) == 1 {
		return msgs[0]
	}
	return fmt.Sprintf("%d problems:\n• %s", len(msgs), strings.Join(msgs, "\n• "))
}

// comment puts the messages on a cell as a comment that starts with
// CommentPrefix, like every comment Annotate writes. A comment the user had
// on the cell keeps its author and its text, after ours.
func comment(f *excelize.File, sheet, cell string, msgs []string, userComments map[string]excelize.Comment) error {
	text := commentText(msgs)
	c := excelize.Comment{
		Cell:   cell,
		Author: CommentAuthor,
		Paragraph: []excelize.RichTextRun{
			{Text: CommentPrefix, Font: &excelize.Font{Bold: true, Size: 9, Color: "000000"}},
			{Text: text, Font: &excelize.Font{Size: 9, Color: "000000"}},
		},
		Width:  320,
		Height: uint(min(400, 40+16*(len(msgs)+strings.Count(text, "\n")+len(text)/50))),
	}
	if old, ok := userComments[cell]; ok {
		if err := f.DeleteComment(sheet, cell); err != nil {
			return fmt.Errorf("report: annotated copy: %w", err)
		}
		c.Author = old.Author
		c.Paragraph = append(c.Paragraph, excelize.RichTextRun{Text: commentSeparator})
		c.Paragraph = append(c.Paragraph, userPart(old)...)
		c.Height = min(400, c.Height+60)
	}
	if err := f.AddComment(sheet, c); err != nil {
		return fmt.Errorf("report: annotated copy: comment on %s: %w", cell, err)
	}
	return nil
}

// userPart returns the runs of a user's comment without what an earlier
// run of Annotate put in it.
func userPart(c excelize.Comment) []excelize.RichTextRun {
	var runs []excelize.RichTextRun
	if c.Text != "" {
		runs = append(runs, excelize.RichTextRun{Text: c.Text})
	}
	runs = append(runs, c.Paragraph...)
	if len(runs) > 0 && runs[0].Text == CommentPrefix {
		for i, r := range runs {
			if r.Text == commentSeparator {
				return runs[i+1:]
			}
		}
		return nil
	}
	return runs
}

// styler adds a fill to cells while keeping the rest of each cell's style,
// making one new style per existing style and fill.
type styler struct {
	f     *excelize.File
	sheet string
	ids   map[styleKey]int
}

type styleKey struct {
	base  int
	color string
}

func (s *styler) fill(col, row int, color string) error {
	cell := cellName(col, row)
	base, err := s.f.GetCellStyle(s.sheet, cell)
	if err != nil {
		return fmt.Errorf("report: annotated copy: style of %s: %w", cell, err)
	}
	k := styleKey{base, color}
	id, ok := s.ids[k]
	if !ok {
		style, err := s.f.GetStyle(base)
		if err != nil || style == nil {
			style = &excelize.Style{}
		}
		style.Fill = fillStyle(color)
		if id, err = s.f.NewStyle(style); err != nil {
			return fmt.Errorf("report: annotated copy: style of %s: %w", cell, err)
		}
		s.ids[k] = id
	}
	if err := s.f.SetCellStyle(s.sheet, cell, cell, id); err != nil {
		return fmt.Errorf("report: annotated copy: style of %s: %w", cell, err)
	}
	return nil
}

// ---- writing the records of any other source to a new workbook ----

type originKey struct {
	file, sheet string
	row         int
}

func annotateRecords(ctx context.Context, env pipeline.Env, s pipeline.Source, problems []pipeline.Problem, outPath string) error {
	cols := s.Columns()
	errCol := len(cols) + 1
	if errCol > excelize.MaxColumns {
		return fmt.Errorf("report: annotated copy: %d columns do not fit in a worksheet", len(cols))
	}
	colIndex := make(map[string]int, len(cols))
	for i, c := range cols {
		if _, dup := colIndex[c.Name]; !dup {
			colIndex[c.Name] = i + 1
		}
	}
	index := make(map[originKey][]pipeline.Problem)
	unplaced := 0
	var links, lost []problemLink
	for _, p := range problems {
		if p.Origin.Row > 0 {
			k := originKey{p.Origin.File, p.Origin.Sheet, p.Origin.Row}
			index[k] = append(index[k], p)
		} else {
			unplaced++
			lost = append(lost, problemLink{p: p})
		}
	}

	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	headerStyle, err1 := f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   fillStyle("E7E6E6"),
		Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	cellStyle, err2 := f.NewStyle(&excelize.Style{Fill: fillStyle(BadCellFill)})
	rowStyle, err3 := f.NewStyle(&excelize.Style{Fill: fillStyle(BadRowFill)})
	sw, err4 := f.NewStreamWriter(sheet)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return fmt.Errorf("report: annotated copy: %w", err)
	}
	if err := sw.SetColWidth(errCol, errCol, errorsColumnWidth); err != nil {
		return fmt.Errorf("report: annotated copy: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("report: annotated copy: %w", err)
	}
	header := make([]any, errCol)
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: headerStyle, Value: c.Name}
	}
	header[errCol-1] = excelize.Cell{StyleID: headerStyle, Value: ErrorsHeader}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("report: annotated copy: %w", err)
	}

	vals := make([]any, errCol)
	for out := 2; ; out++ {
		rec, err := s.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("report: annotated copy: reading the source: %w", err)
		}
		if out > excelize.TotalRows {
			return fmt.Errorf("report: annotated copy: the source has more rows than a worksheet holds (%d)", excelize.TotalRows-1)
		}
		clear(vals)
		for i, c := range cols {
			if i < len(rec.Values) {
				vals[i] = cellValue(rec.Values[i], c.Type)
			}
		}
		k := originKey{rec.Origin.File, rec.Origin.Sheet, rec.Origin.Row}
		ps := index[k]
		delete(index, k)
		if len(ps) == 0 {
			ps = rec.Problems
		}
		if len(ps) > 0 {
			var n rowNotes
			for _, p := range ps {
				col := colIndex[p.Column]
				if col == 0 {
					col = cellColumn(p)
				}
				if col >= errCol {
					col = 0
				}
				n.add(p, col)
				if col > 0 {
					links = append(links, problemLink{p, sheet, cellName(col, out)})
				} else {
					links = append(links, problemLink{p, sheet, cellName(errCol, out)})
				}
			}
			for i := range cols {
				switch _, bad := n.cells[i+1]; {
				case bad:
					vals[i] = excelize.Cell{StyleID: cellStyle, Value: vals[i]}
				case n.whole:
					vals[i] = excelize.Cell{StyleID: rowStyle, Value: vals[i]}
				}
			}
			vals[errCol-1] = excelize.Cell{StyleID: rowStyle, Value: n.errors()}
		}
		if err := sw.SetRow(cellName(1, out), vals); err != nil {
			return fmt.Errorf("report: annotated copy: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("report: annotated copy: %w", err)
	}
	for _, ps := range index {
		unplaced += len(ps)
		for _, p := range ps {
			lost = append(lost, problemLink{p: p})
		}
	}
	if err := addProblemsSheet(f, append(links, lost...)); err != nil {
		return err
	}
	if unplaced > 0 {
		env.Log().Warn(fmt.Sprintf("the annotated copy cannot mark %d %s that match no record; the Problems sheet lists %s",
			unplaced, plural(unplaced, "problem", "problems"), plural(unplaced, "it", "them")))
	}
	f.Path = outPath
	return writeAtomic(outPath, func(w io.Writer) error { return f.Write(w) })
}

// maxExactInteger is the largest integer a spreadsheet shows exactly (15
// significant digits); larger ones are written as text.
const maxExactInteger = 999_999_999_999_999

// cellValue converts a record value to what the copy shows. Text stays text
// (leading zeros and all), dates are ISO 8601 text as the Excel source
// reads them, decimals keep every digit as text.
func cellValue(v any, t pipeline.Type) any {
	switch v := v.(type) {
	case nil, string, bool:
		return v
	case int64:
		if v > maxExactInteger || v < -maxExactInteger {
			return strconv.FormatInt(v, 10)
		}
		return v
	case int:
		return cellValue(int64(v), t)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return strconv.FormatFloat(v, 'g', -1, 64)
		}
		return v
	case float32:
		return cellValue(float64(v), t)
	case time.Time:
		if t == pipeline.TypeDate {
			return v.Format(time.DateOnly)
		}
		return v.UTC().Format(time.RFC3339Nano)
	case []byte:
		if utf8.Valid(v) {
			return string(v)
		}
		return "0x" + hex.EncodeToString(v)
	case decimal.Decimal: // with its scale: "12.50" stays "12.50"
		if e := v.Exponent(); e < 0 {
			return v.StringFixed(-e)
		}
		return v.String()
	case fmt.Stringer:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}

// ---- the Problems sheet ----

// problemLink is one line of the Problems sheet: a problem and the cell it
// links to (sheet "" when the problem could not be placed on a sheet).
type problemLink struct {
	p     pipeline.Problem
	sheet string
	cell  string
}

// problemsHeader is the Problems sheet's header row.
var problemsHeader = []any{ProblemsTitle, "Cell", "Row", "Column", "Field", "Value", "Rule", "Message"}

// addProblemsSheet adds the Problems sheet after the others: one row per
// problem, in input order, its Cell a hyperlink to the cell in the
// annotated sheet. A Problems sheet of an earlier run is replaced; a sheet
// of the user's by that name is kept and ours is called "etl Problems".
func addProblemsSheet(f *excelize.File, links []problemLink) error {
	name := ProblemsSheet
	if idx, err := f.GetSheetIndex(name); err == nil && idx >= 0 {
		if v, _ := f.GetCellValue(name, "A1"); v == ProblemsTitle {
			if err := f.DeleteSheet(name); err != nil {
				return fmt.Errorf("report: annotated copy: replacing the %s sheet: %w", name, err)
			}
		} else {
			name = "etl " + ProblemsSheet
			if idx, err := f.GetSheetIndex(name); err == nil && idx >= 0 {
				if err := f.DeleteSheet(name); err != nil {
					return fmt.Errorf("report: annotated copy: replacing the %s sheet: %w", name, err)
				}
			}
		}
	}
	if _, err := f.NewSheet(name); err != nil {
		return fmt.Errorf("report: annotated copy: %w", err)
	}
	bold, err1 := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fillStyle("E7E6E6")})
	link, err2 := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}})
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("report: annotated copy: %w", err)
	}
	if err := f.SetSheetRow(name, "A1", &problemsHeader); err != nil {
		return fmt.Errorf("report: annotated copy: %w", err)
	}
	last := cellName(len(problemsHeader), 1)
	if err := f.SetCellStyle(name, "A1", last, bold); err != nil {
		return fmt.Errorf("report: annotated copy: %w", err)
	}
	for i, l := range links {
		r := i + 2
		where := "not on a sheet"
		if l.sheet != "" {
			where = l.sheet + "!" + l.cell
		}
		row := []any{i + 1, where, nil, l.p.Column, l.p.Field, l.p.Value, l.p.Rule, l.p.Message}
		if l.p.Origin.Row > 0 {
			row[2] = l.p.Origin.Row
		}
		if err := f.SetSheetRow(name, cellName(1, r), &row); err != nil {
			return fmt.Errorf("report: annotated copy: %w", err)
		}
		if l.sheet == "" {
			continue
		}
		at := cellName(2, r)
		target := "'" + strings.ReplaceAll(l.sheet, "'", "''") + "'!" + l.cell
		if err := f.SetCellHyperLink(name, at, target, "Location", excelize.HyperlinkOpts{Tooltip: &where}); err != nil {
			return fmt.Errorf("report: annotated copy: link to %s: %w", where, err)
		}
		if err := f.SetCellStyle(name, at, at, link); err != nil {
			return fmt.Errorf("report: annotated copy: %w", err)
		}
	}
	for col, width := range map[string]float64{"A": 9, "B": 16, "C": 7, "D": 18, "E": 18, "F": 24, "G": 12, "H": 80} {
		if err := f.SetColWidth(name, col, col, width); err != nil {
			return fmt.Errorf("report: annotated copy: %w", err)
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("report: annotated copy: %w", err)
	}
	return nil
}
