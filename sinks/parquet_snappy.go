package sinks

import (
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/snappy"
	"github.com/parquet-go/parquet-go/format"
)

// fastSnappy is the SNAPPY codec of Parquet pages at snappy's own speed:
// parquet-go's codec encodes with s2's "better" level, which spends about
// twice the CPU for pages a few percent smaller. The blocks are standard
// snappy blocks; every reader decodes them.
type fastSnappy struct{}

func (fastSnappy) String() string                            { return "SNAPPY" }
func (fastSnappy) CompressionCodec() format.CompressionCodec { return format.Snappy }

func (fastSnappy) Encode(dst, src []byte) ([]byte, error) {
	return s2.EncodeSnappy(dst, src), nil
}

func (fastSnappy) Decode(dst, src []byte) ([]byte, error) {
	return snappy.Decode(dst, src)
}
