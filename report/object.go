package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/etl-dev/etl/internal/blobio"
)

// objectTimeout bounds the upload of one report.
const objectTimeout = 5 * time.Minute

// writeObject writes a report to object storage (an s3://, gs:// or
// azblob:// path): built in memory (reports are small), then uploaded in
// one go, so the object appears whole or not at all.
func writeObject(url string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return fmt.Errorf("report: writing %s: %w", blobio.Redact(url), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), objectTimeout)
	defer cancel()
	if err := blobio.Upload(ctx, url, &buf, reportType(url)); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

func reportType(url string) string {
	name, _, _ := strings.Cut(url, "?")
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".json":
		return "application/json"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/octet-stream"
}
