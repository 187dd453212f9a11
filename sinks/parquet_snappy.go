package sinks

import (
	pqcompress "github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/snappy"
)

// fastSnappy is the SNAPPY codec of Parquet pages at snappy's own speed:
// arrow-go's codec encodes with s2's "better" level, which spends about
// twice the CPU for pages a few percent smaller. The blocks are standard
// snappy blocks; every reader decodes them, and decoding is arrow-go's.
type fastSnappy struct{}

// init replaces arrow-go's SNAPPY codec, as its codec registry is meant to
// be used; the Parquet source decodes with it too, the same way as before.
func init() { pqcompress.RegisterCodec(pqcompress.Codecs.Snappy, fastSnappy{}) }

func (fastSnappy) Encode(dst, src []byte) []byte { return s2.EncodeSnappy(dst, src) }

func (fastSnappy) EncodeLevel(dst, src []byte, _ int) []byte { return s2.EncodeSnappy(dst, src) }

func (fastSnappy) CompressBound(n int64) int64 { return int64(s2.MaxEncodedLen(int(n))) }

func (fastSnappy) Decode(dst, src []byte) []byte {
	out, err := snappy.Decode(dst, src)
	if err != nil {
		panic(err)
	}
	return out
}

// DecodeWithError makes fastSnappy a compress.ErrorCodec: arrow-go reports
// a corrupt page as an error rather than recovering a panic.
func (fastSnappy) DecodeWithError(dst, src []byte) ([]byte, error) { return snappy.Decode(dst, src) }
