package sources

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// chunkedReader returns its text in reads of random sizes, so that runes
// are cut at every kind of place.
type chunkedReader struct {
	text []byte
	rnd  *rand.Rand
}

func (c *chunkedReader) Read(p []byte) (int, error) {
	if len(c.text) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(c.text), 1+c.rnd.IntN(9))
	copy(p, c.text[:n])
	c.text = c.text[n:]
	return n, nil
}

// A line is said to be clean only when its text is valid UTF-8, and the
// lines of a valid text are all clean.
func TestUTF8ScanNeverCallsInvalidTextClean(t *testing.T) {
	pieces := [][]byte{[]byte("abc"), []byte("é"), []byte("€"), []byte("𝄞"), []byte("\n"), {0xff}, {0xe2, 0x82}, {0xc3}, []byte("x\n")}
	for seed := range uint64(300) {
		rnd := rand.New(rand.NewPCG(seed, 1))
		invalid := seed%3 != 0
		var text []byte
		for range 200 {
			p := pieces[rnd.IntN(len(pieces))]
			if !invalid && !utf8.Valid(p) {
				continue
			}
			text = append(text, p...)
		}
		scan := &utf8Scan{r: &chunkedReader{text: text, rnd: rnd}}
		got, err := io.ReadAll(scan)
		if err != nil || !bytes.Equal(got, text) {
			t.Fatalf("seed %d: the text did not pass through unchanged (%v)", seed, err)
		}
		from := 0
		for from < len(text) {
			to := len(text)
			if i := bytes.IndexByte(text[from:], '\n'); i >= 0 {
				to = from + i + 1
			}
			clean := scan.clean(int64(from), int64(to))
			valid := utf8.Valid(text[from:to])
			if clean && !valid {
				t.Fatalf("seed %d: %q at %d is called clean", seed, text[from:to], from)
			}
			if !invalid && !clean {
				t.Fatalf("seed %d: valid text %q at %d is not called clean", seed, text[from:to], from)
			}
			from = to
		}
	}
}
