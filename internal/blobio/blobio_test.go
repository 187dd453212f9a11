package blobio_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/etl-dev/etl/internal/blobio"
	"github.com/etl-dev/etl/internal/s3test"
)

func TestMain(m *testing.M) {
	s3test.SetEnv()
	os.Exit(m.Run())
}

func TestIsURLAndParse(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]bool{
		"s3://b/k.csv": true, "GS://b/k": true, "azblob://c/k": true,
		"out/x.csv": false, "/abs/x.csv": false, `C:\x.csv`: false, "http://x/y": false, "file:///x": false,
	} {
		if got := blobio.IsURL(p); got != want {
			t.Errorf("IsURL(%q) = %v", p, got)
		}
	}
	loc, err := blobio.Parse("s3://bucket/dir/file.parquet?region=eu-west-1")
	if err != nil || loc.Bucket != "bucket" || loc.Key != "dir/file.parquet" || loc.Query.Get("region") != "eu-west-1" {
		t.Errorf("Parse: %+v, %v", loc, err)
	}
	for _, bad := range []string{"s3:///key", "s3://bucket", "s3://bucket/dir/"} {
		if _, err := blobio.Parse(bad); err == nil {
			t.Errorf("Parse(%q): no error", bad)
		}
	}
	if got := blobio.Redact("s3://b/k?region=x&secret_key=abc"); strings.Contains(got, "abc") || !strings.Contains(got, "region=x") {
		t.Errorf("Redact: %s", got)
	}
}

func TestUploadAndRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := s3test.Start(t, "etl")
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<12) // 64 KiB
	url := srv.URL("etl", "exports/date=2026-11-22/data.bin")
	if err := blobio.Upload(ctx, url, bytes.NewReader(data), "application/octet-stream"); err != nil {
		t.Fatal(err)
	}
	if got, ok := srv.Get(t, "etl", "exports/date=2026-11-22/data.bin"); !ok || !bytes.Equal(got, data) {
		t.Fatalf("stored %d bytes, ok %v", len(got), ok)
	}

	o, err := blobio.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if o.Size() != int64(len(data)) || o.ModTime().IsZero() {
		t.Errorf("size %d, mod time %v", o.Size(), o.ModTime())
	}
	// Ranged reads, as io.ReaderAt promises, and a stream.
	for _, r := range [][2]int{{0, 10}, {1000, 5000}, {len(data) - 8, 8}} {
		buf := make([]byte, r[1])
		if n, err := o.ReadAt(buf, int64(r[0])); n != r[1] || err != nil || !bytes.Equal(buf, data[r[0]:r[0]+r[1]]) {
			t.Errorf("ReadAt(%d bytes at %d): %d, %v", r[1], r[0], n, err)
		}
	}
	tail := make([]byte, 100)
	n, err := o.ReadAt(tail, o.Size()-40)
	if n != 40 || !errors.Is(err, io.EOF) || !bytes.Equal(tail[:40], data[len(data)-40:]) {
		t.Errorf("ReadAt past the end: %d, %v", n, err)
	}
	streamed, err := io.ReadAll(o)
	if err != nil || !bytes.Equal(streamed, data) {
		t.Errorf("stream: %d bytes, %v", len(streamed), err)
	}
	if end, err := o.Seek(-16, io.SeekEnd); err != nil || end != o.Size()-16 {
		t.Errorf("Seek: %d, %v", end, err)
	}
	if rest, err := io.ReadAll(o); err != nil || !bytes.Equal(rest, data[len(data)-16:]) {
		t.Errorf("read after Seek: %q, %v", rest, err)
	}
	if err := o.Close(); err != nil {
		t.Error(err)
	}
	if err := o.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	_, err = blobio.Open(ctx, srv.URL("etl", "nothing.csv"))
	if err == nil || !strings.Contains(err.Error(), "no such object") || !strings.Contains(err.Error(), "nothing.csv") {
		t.Errorf("open a missing object: %v", err)
	}
	if ok, err := blobio.Exists(ctx, url); !ok || err != nil {
		t.Errorf("Exists: %v, %v", ok, err)
	}
}

// TestUploadWholeOrNothing: an upload whose input fails, or whose context
// is cancelled, leaves no object, and an earlier version intact.
func TestUploadWholeOrNothing(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t, "etl")
	srv.Put(t, "etl", "kept.csv", []byte("old\n"))
	boom := errors.New("disk on fire")
	big := 12 << 20 // past the 5 MiB part size: a multipart upload
	for name, r := range map[string]io.Reader{
		"small":     io.MultiReader(strings.NewReader("a,b\n"), iotest.ErrReader(boom)),
		"multipart": io.MultiReader(io.LimitReader(zeros{}, int64(big)), iotest.ErrReader(boom)),
	} {
		key := "new-" + name + ".csv"
		err := blobio.Upload(context.Background(), srv.URL("etl", key), r, "text/csv")
		if !errors.Is(err, boom) {
			t.Errorf("%s: %v", name, err)
		}
		if _, ok := srv.Get(t, "etl", key); ok {
			t.Errorf("%s: a failed upload left an object", name)
		}
		err = blobio.Upload(context.Background(), srv.URL("etl", "kept.csv"), r, "text/csv")
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := blobio.Upload(ctx, srv.URL("etl", "cancelled.csv"), strings.NewReader("x\n"), "text/csv"); err == nil {
		t.Error("cancelled upload: no error")
	}
	if keys := srv.Keys(t, "etl"); len(keys) != 1 || keys[0] != "kept.csv" {
		t.Errorf("objects: %v", keys)
	}
	if got, _ := srv.Get(t, "etl", "kept.csv"); string(got) != "old\n" {
		t.Errorf("kept.csv = %q", got)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestEndpointFromEnvironment: AWS_ENDPOINT_URL points plain s3:// URLs at
// an S3-compatible store, path style. (Not parallel: it sets the
// environment.)
func TestEndpointFromEnvironment(t *testing.T) {
	srv := s3test.Start(t, "etl")
	t.Setenv("AWS_ENDPOINT_URL", srv.Endpoint())
	if err := blobio.Upload(context.Background(), "s3://etl/plain.csv", strings.NewReader("a\n"), "text/csv"); err != nil {
		t.Fatal(err)
	}
	if got, ok := srv.Get(t, "etl", "plain.csv"); !ok || string(got) != "a\n" {
		t.Errorf("plain.csv = %q, %v", got, ok)
	}
}
