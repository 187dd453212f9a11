package sinks

import (
	"context"
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	"github.com/etl-dev/etl/internal/blobio"
)

// Output to object storage: a file sink whose path is an s3://, gs:// or
// azblob:// URL writes a local temporary file (in $TMPDIR) as on disk, and
// commit uploads it in one go (blobio.Upload: the object appears whole, or
// the upload is aborted and nothing appears). Abort only removes the
// temporary file: nothing was sent.

// uploadTimeout bounds a commit's upload; a stuck upload fails the run
// instead of hanging it.
const uploadTimeout = 30 * time.Minute

// objectOutputPath is outputPath for an object URL: templates expanded in
// the URL, partition directories inserted before the object's name.
func objectOutputPath(raw string, dirs []string) (string, error) {
	loc, err := blobio.Parse(raw)
	if err != nil {
		return "", err
	}
	if len(dirs) > 0 {
		dir, file := path.Split(loc.Key)
		loc = loc.WithKey(path.Join(append(append([]string{dir}, dirs...), file)...))
	}
	return loc.String(), nil
}

// createObjectOutput is createOutput for an object URL.
func createObjectOutput(url string) (*outputFile, error) {
	loc, err := blobio.Parse(url)
	if err != nil {
		return nil, fmt.Errorf("path: %w", err)
	}
	f, err := os.CreateTemp("", "etl-"+path.Base(loc.Key)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("path %s: cannot create the temporary file to upload from (set TMPDIR to a writable directory): %w", blobio.Redact(url), err)
	}
	return &outputFile{path: url, tmpPath: f.Name(), f: f, remote: true}, nil
}

// upload sends the temporary file to the object and removes it.
func (o *outputFile) upload() error {
	defer os.Remove(o.tmpPath)
	if _, err := o.f.Seek(0, 0); err != nil {
		o.f.Close()
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), uploadTimeout)
	defer cancel()
	err := blobio.Upload(ctx, o.path, o.f, contentType(o.path))
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// contentType is the object's Content-Type, by its extension.
func contentType(url string) string {
	name := url
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".jsonl", ".ndjson":
		return "application/x-ndjson"
	case ".parquet":
		return "application/vnd.apache.parquet"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/octet-stream"
}
