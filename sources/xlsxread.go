package sources

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// The xlsx source reads workbooks itself, with archive/zip and
// encoding/xml, rather than through excelize's Rows: it needs what Rows
// does not give, each cell's type (an error cell is no text), whether it
// holds a formula, its stored number text (excelize rounds numbers to 15
// digits) and its style; and it shares each shared string among the cells
// that use it instead of building it again per cell. The sheet is
// streamed: memory does not grow with its rows.

// maxCellChars is the most characters an Excel cell holds; a longer value
// was not written by Excel, and reading it is refused per cell.
const maxCellChars = 32767

// maxSharedStringsBytes bounds the uncompressed shared strings part, which
// is held in memory.
const maxSharedStringsBytes = 1 << 30

// xlsxSheet is a sheet of the workbook.
type xlsxSheet struct {
	name   string
	hidden bool   // hidden or very hidden
	part   string // the zip entry of its XML; "" for a chart sheet
}

// xlsxBook is an open workbook.
type xlsxBook struct {
	zr       *zip.Reader
	sheets   []xlsxSheet
	date1904 bool
	xfKinds  []dateKind // date kind of each cell style (cellXfs index)
	sst      []sharedString
	sstPart  string
}

// sharedString is one entry of the shared strings table: its text, or the
// length of a text too long for a cell (which is not kept).
type sharedString struct {
	text    string
	tooLong int
}

func findPart(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if f.Name == name || strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

func decodePart(zr *zip.Reader, name string, v any) error {
	f := findPart(zr, name)
	if f == nil {
		return fmt.Errorf("the workbook has no %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer rc.Close()
	if err := xml.NewDecoder(io.LimitReader(rc, 64<<20)).Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// openBook reads the workbook's parts that say what it holds: the sheets,
// the date system, the cell styles. Sheets and shared strings are read
// later, when needed.
func openBook(r io.ReaderAt, size int64) (*xlsxBook, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, err
	}
	b := &xlsxBook{zr: zr}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Type   string `xml:"Type,attr"`
		} `xml:"Relationship"`
	}
	wbPart := "xl/workbook.xml"
	var root struct {
		Rel []struct {
			Target string `xml:"Target,attr"`
			Type   string `xml:"Type,attr"`
		} `xml:"Relationship"`
	}
	if decodePart(zr, "_rels/.rels", &root) == nil {
		for _, r := range root.Rel {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPart = strings.TrimPrefix(r.Target, "/")
			}
		}
	}
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
			RID   string `xml:"id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(zr, wbPart, &wb); err != nil {
		return nil, err
	}
	b.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	dir := path.Dir(wbPart)
	relsPart := path.Join(dir, "_rels", path.Base(wbPart)+".rels")
	if err := decodePart(zr, relsPart, &rels); err != nil {
		return nil, err
	}
	target := func(t string) string {
		if strings.HasPrefix(t, "/") {
			return strings.TrimPrefix(t, "/")
		}
		return path.Join(dir, t)
	}
	byID := map[string]string{}
	stylesPart := ""
	for _, r := range rels.Rel {
		switch {
		case strings.HasSuffix(r.Type, "/worksheet"):
			byID[r.ID] = target(r.Target)
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			b.sstPart = target(r.Target)
		case strings.HasSuffix(r.Type, "/styles"):
			stylesPart = target(r.Target)
		}
	}
	for _, s := range wb.Sheets {
		b.sheets = append(b.sheets, xlsxSheet{name: s.Name, hidden: s.State == "hidden" || s.State == "veryHidden", part: byID[s.RID]})
	}
	if stylesPart != "" {
		if err := b.readStyles(stylesPart); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// readStyles classifies every cell style by the date kind of its number
// format.
func (b *xlsxBook) readStyles(part string) error {
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := decodePart(b.zr, part, &st); err != nil {
		return err
	}
	custom := map[int]string{}
	for _, nf := range st.NumFmts {
		custom[nf.ID] = nf.Code
	}
	b.xfKinds = make([]dateKind, len(st.Xfs))
	for i, xf := range st.Xfs {
		if code, ok := custom[xf.NumFmtID]; ok {
			b.xfKinds[i] = formatKind(code)
		} else {
			b.xfKinds[i] = builtinKind(xf.NumFmtID)
		}
	}
	return nil
}

// loadSharedStrings reads the shared strings table, once.
func (b *xlsxBook) loadSharedStrings() error {
	if b.sst != nil || b.sstPart == "" {
		return nil
	}
	f := findPart(b.zr, b.sstPart)
	if f == nil {
		return nil
	}
	if f.UncompressedSize64 > maxSharedStringsBytes {
		return fmt.Errorf("the shared strings part is %d MiB, more than the %d MiB etl reads: save the sheet as CSV",
			f.UncompressedSize64>>20, maxSharedStringsBytes>>20)
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, maxSharedStringsBytes))
	b.sst = []sharedString{}
	var cur strings.Builder
	in, inT, skip := false, false, 0
	n := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", b.sstPart, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				in, n = true, 0
				cur.Reset()
			case "t":
				inT = in && skip == 0
			case "rPh", "phoneticPr":
				skip++ // phonetic guides are not the text
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if n > maxCellChars {
					b.sst = append(b.sst, sharedString{tooLong: n})
				} else {
					b.sst = append(b.sst, sharedString{text: unescapeOOXML(cur.String())})
				}
				in = false
			case "t":
				inT = false
			case "rPh", "phoneticPr":
				skip--
			}
		case xml.CharData:
			if inT {
				n += len(t)
				if n <= maxCellChars*4 {
					cur.Write(t)
				}
			}
		}
	}
}

// cellKind is the type of a stored cell.
type cellKind byte

const (
	cellNumber cellKind = iota
	cellShared
	cellText // inline or formula string
	cellBool
	cellError
	cellISODate
)

// xlsxCell is one cell as stored.
type xlsxCell struct {
	col     int // 0-based
	kind    cellKind
	style   int
	formula bool
	value   string // <v> or the inline text
}

// sheetStream reads the rows of a sheet's XML one at a time.
type sheetStream struct {
	rc      io.ReadCloser
	dec     *xml.Decoder
	lastRow int
	done    bool
}

func (b *xlsxBook) openSheet(s xlsxSheet) (*sheetStream, error) {
	f := findPart(b.zr, s.part)
	if f == nil {
		return nil, fmt.Errorf("the workbook has no %s for sheet %q", s.part, s.name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return &sheetStream{rc: rc, dec: xml.NewDecoder(rc)}, nil
}

func (s *sheetStream) Close() error { return s.rc.Close() }

// next returns the next row element: its number and cells; io.EOF after the
// last. Rows a sheet leaves out (blank rows) are not returned: the numbers
// say where each row is.
func (s *sheetStream) next() (int, []xlsxCell, error) {
	if s.done {
		return 0, nil, io.EOF
	}
	var cells []xlsxCell
	row := -1
	var cur *xlsxCell
	inV, inIS, inT, skip := false, false, false, 0
	var text strings.Builder
	for {
		tok, err := s.dec.Token()
		if err == io.EOF {
			s.done = true
			return 0, nil, io.EOF
		}
		if err != nil {
			return 0, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				row = s.lastRow + 1
				if r := attr(t, "r"); r != "" {
					if n, err := strconv.Atoi(r); err == nil && n > 0 {
						row = n
					}
				}
				cells = cells[:0]
			case "c":
				c := xlsxCell{col: len(cells)}
				if len(cells) > 0 {
					c.col = cells[len(cells)-1].col + 1
				}
				if ref := attr(t, "r"); ref != "" {
					if col, ok := refColumn(ref); ok {
						c.col = col
					}
				}
				if st := attr(t, "s"); st != "" {
					c.style, _ = strconv.Atoi(st)
				}
				switch attr(t, "t") {
				case "s":
					c.kind = cellShared
				case "str", "inlineStr":
					c.kind = cellText
				case "b":
					c.kind = cellBool
				case "e":
					c.kind = cellError
				case "d":
					c.kind = cellISODate
				}
				cells = append(cells, c)
				cur = &cells[len(cells)-1]
				text.Reset()
			case "v":
				inV = cur != nil
			case "f":
				if cur != nil {
					cur.formula = true
				}
			case "is":
				inIS = cur != nil
			case "t":
				inT = inIS && skip == 0
			case "rPh":
				skip++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "row":
				if row < 0 {
					row = s.lastRow + 1
				}
				s.lastRow = row
				return row, cells, nil
			case "c":
				if cur != nil {
					cur.value = text.String()
					if cur.kind == cellText {
						cur.value = unescapeOOXML(cur.value)
					}
				}
				cur = nil
			case "v":
				inV = false
			case "is":
				inIS = false
			case "t":
				inT = false
			case "rPh":
				skip--
			case "sheetData":
				s.done = true
				return 0, nil, io.EOF
			}
		case xml.CharData:
			if inV || inT {
				if text.Len() <= maxCellChars*4 {
					text.Write(t)
				}
			}
		}
	}
}

// unescapeOOXML decodes the _xHHHH_ escapes Excel writes for characters
// XML cannot hold (ECMA-376 §22.9.2.19): "ABC_x000D_" is "ABC\r", and
// _x005F_ escapes an underscore.
func unescapeOOXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "_x")
		if i < 0 || i+7 > len(s) || s[i+6] != '_' {
			if i < 0 {
				b.WriteString(s)
				return b.String()
			}
			b.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
		if err != nil {
			b.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteRune(rune(n))
		s = s[i+7:]
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// refColumn reads the 0-based column of a cell reference like "AB12".
func refColumn(ref string) (int, bool) {
	col := 0
	i := 0
	for ; i < len(ref); i++ {
		c := ref[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		col = col*26 + int(c-'A'+1)
		if col > 1<<20 {
			return 0, false
		}
	}
	if i == 0 {
		return 0, false
	}
	return col - 1, true
}
