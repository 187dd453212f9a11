package sources

import (
	"context"
	"io"
	"os"

	"github.com/etl-dev/etl/internal/blobio"
	"github.com/etl-dev/etl/pipeline"
)

// inputFile is a source's input opened for reading: a local file, or an
// object in object storage (s3://, gs://, azblob://; see internal/blobio).
// Read streams it; ReadAt reads ranges (for an object, one ranged GET
// each: Parquet reads its footer and row groups without downloading the
// whole object).
type inputFile interface {
	io.Reader
	io.ReaderAt
	io.Seeker
	io.Closer
	// Size is the input's size in bytes.
	Size() int64
}

// localFile is an inputFile on disk.
type localFile struct {
	*os.File
	size int64
}

func (f localFile) Size() int64 { return f.size }

// openInput opens resolved, a path as pipeline.Env.Path returns it.
func openInput(ctx context.Context, resolved string) (inputFile, error) {
	if pipeline.IsObjectURL(resolved) {
		return blobio.Open(ctx, resolved)
	}
	f, err := os.Open(resolved)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return localFile{File: f, size: st.Size()}, nil
}
