package sources

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
)

// fileKind is what a file really is, told by its first bytes rather than
// its name: users rename files, and exports name them as they please.
type fileKind int

const (
	kindUnknown fileKind = iota
	kindText             // UTF-8 or single-byte text: CSV and friends
	kindUTF16            // text with a UTF-16 byte order mark
	kindXLSX             // a ZIP archive holding an Excel workbook
	kindODS              // a ZIP archive holding an OpenDocument spreadsheet
	kindZIP              // another ZIP archive
	kindOLE              // an OLE2 compound file: .xls, or an encrypted workbook
	kindParquet
	kindGzip
	kindPDF
	kindHTML // a web page, often saved as .xls by web exports
	kindXMLSpreadsheet
)

// sniffHead is how many bytes sniffFile looks at.
const sniffHead = 512

// sniffFile reads the first bytes of f (without moving a reader's offset).
func sniffFile(f io.ReaderAt) fileKind {
	head := make([]byte, sniffHead)
	n, _ := f.ReadAt(head, 0)
	return sniffBytes(head[:n])
}

// sniffBytes tells the kind of a file by its first bytes.
func sniffBytes(head []byte) fileKind {
	switch {
	case len(head) == 0:
		return kindUnknown
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return zipKind(head)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return kindOLE
	case bytes.HasPrefix(head, []byte("PAR1")):
		return kindParquet
	case bytes.HasPrefix(head, []byte{0x1F, 0x8B}):
		return kindGzip
	case bytes.HasPrefix(head, []byte("%PDF")):
		return kindPDF
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return kindUTF16
	}
	text := bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	lower := bytes.ToLower(bytes.TrimLeft(text[:min(len(text), 256)], " \t\r\n"))
	switch {
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")),
		bytes.HasPrefix(lower, []byte("<table")):
		return kindHTML
	case bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(text, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
		return kindXMLSpreadsheet
	}
	if bytes.IndexByte(text, 0) >= 0 {
		return kindUnknown
	}
	return kindText
}

// zipKind looks at the first entry of a ZIP archive: an OpenDocument file
// starts with its "mimetype", a workbook with [Content_Types].xml, _rels/
// or xl/ entries.
func zipKind(head []byte) fileKind {
	if len(head) < 30 {
		return kindZIP
	}
	nameLen := int(binary.LittleEndian.Uint16(head[26:28]))
	extraLen := int(binary.LittleEndian.Uint16(head[28:30]))
	if 30+nameLen > len(head) {
		return kindZIP
	}
	name := string(head[30 : 30+nameLen])
	switch {
	case name == "mimetype":
		rest := head[min(len(head), 30+nameLen+extraLen):]
		if bytes.Contains(rest, []byte("opendocument.spreadsheet")) {
			return kindODS
		}
		return kindZIP
	case name == "[Content_Types].xml", len(name) > 6 && name[:6] == "_rels/", len(name) > 3 && name[:3] == "xl/",
		len(name) > 9 && name[:9] == "docProps/":
		return kindXLSX
	}
	return kindZIP
}

func (k fileKind) String() string {
	switch k {
	case kindText:
		return "a text file (CSV or similar)"
	case kindUTF16:
		return "a UTF-16 text file (a CSV or tab-separated export, as Excel's \"Unicode Text\")"
	case kindXLSX:
		return "an Excel workbook (.xlsx)"
	case kindODS:
		return "an OpenDocument spreadsheet (.ods)"
	case kindZIP:
		return "a ZIP archive"
	case kindOLE:
		return "an old Excel 97-2003 workbook (.xls) or a password-protected workbook"
	case kindParquet:
		return "a Parquet file"
	case kindGzip:
		return "a gzip-compressed file"
	case kindPDF:
		return "a PDF document"
	case kindHTML:
		return "a web page (HTML), as some web exports save under .xls"
	case kindXMLSpreadsheet:
		return "an Excel 2003 XML spreadsheet"
	}
	return "a binary file of unknown kind"
}

// advice says what the file really is and how to read it, for a source of
// type declared that cannot.
func (k fileKind) advice(declared string) string {
	what := "it is really " + k.String()
	switch k {
	case kindText, kindUTF16:
		return what + ": use type: csv (and name it .csv)"
	case kindXLSX:
		return what + ": use type: xlsx (and name it .xlsx)"
	case kindParquet:
		return what + ": use type: parquet (and name it .parquet)"
	case kindOLE:
		return what + ": etl reads .xlsx workbooks; open it in Excel and save it as .xlsx (File > Save As > Excel Workbook), without a password"
	case kindODS, kindXMLSpreadsheet, kindHTML:
		return what + ": open it in a spreadsheet program and save it as .xlsx or .csv"
	case kindGzip:
		return what + ": decompress it first (gunzip), then read the file inside"
	}
	return fmt.Sprintf("%s, which a %s source cannot read", what, declared)
}
