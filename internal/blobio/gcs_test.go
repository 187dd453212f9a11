package blobio_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/etl-dev/etl/internal/blobio"
)

// TestGCS writes and reads gs:// objects on fake-gcs-server (BSD-2, in
// this process over loopback), which the Google client reaches through
// STORAGE_EMULATOR_HOST, as it would a real emulator. Not parallel: it
// sets the environment, before any other gs:// use in this binary (gocloud
// reads it once).
func TestGCS(t *testing.T) {
	// The client reads through the XML API at the emulator's host: the
	// server must know that host as its public one, so its port is chosen
	// first.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	host := fmt.Sprintf("127.0.0.1:%d", port)
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", Port: uint16(port), PublicHost: host})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "lake"})
	t.Setenv("STORAGE_EMULATOR_HOST", host)
	ctx := context.Background()

	data := strings.Repeat("sku,qty\nA,1\n", 1000)
	url := "gs://lake/exports/date=2026-11-22/data.csv"
	if err := blobio.Upload(ctx, url, strings.NewReader(data), "text/csv"); err != nil {
		t.Fatal(err)
	}
	o, err := blobio.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	buf := make([]byte, 7)
	if n, err := o.ReadAt(buf, 8); n != 7 || err != nil || string(buf) != "A,1\nsku" {
		t.Errorf("ReadAt: %q, %v", buf[:n], err)
	}
	if all, err := io.ReadAll(o); err != nil || string(all) != data {
		t.Errorf("read %d bytes, %v", len(all), err)
	}
	boom := errors.New("boom")
	if err := blobio.Upload(ctx, "gs://lake/half.csv", io.MultiReader(strings.NewReader("a\n"), errReader{boom}), "text/csv"); !errors.Is(err, boom) {
		t.Errorf("failed upload: %v", err)
	}
	if ok, err := blobio.Exists(ctx, "gs://lake/half.csv"); ok || err != nil {
		t.Errorf("a failed upload left an object: %v, %v", ok, err)
	}
}
