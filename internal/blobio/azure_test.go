package blobio_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/etl-dev/etl/internal/blobio"
)

// Azurite's well-known development account (public, in Microsoft's docs).
const (
	azuriteAccount = "devstoreaccount1"
	azuriteKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// azurite starts Azurite's blob service (npm: cd scripts && npm install)
// on a loopback port, in memory, and returns its address. Without it the
// test skips, unless ETL_TEST_REQUIRE_AZURITE=1.
func azurite(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	bin := filepath.Join(filepath.Dir(file), "..", "..", "scripts", "node_modules", ".bin", "azurite-blob")
	if _, err := os.Stat(bin); err != nil {
		if p, err := exec.LookPath("azurite-blob"); err == nil {
			bin = p
		} else if os.Getenv("ETL_TEST_REQUIRE_AZURITE") == "1" {
			t.Fatalf("Azurite is required (ETL_TEST_REQUIRE_AZURITE=1) and not installed: cd scripts && npm install")
		} else {
			t.Skip("Azurite is not installed (cd scripts && npm install): skipping the azblob:// test")
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(bin, "--blobHost", "127.0.0.1", "--blobPort", port, "--inMemoryPersistence", "--extentMemoryLimit", "64",
		"--skipApiVersionCheck", "--loose")
	cmd.Dir = t.TempDir() // Azurite writes its debug files where it runs
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// Azurite says when it listens; wait for that line.
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(out)
		var seen strings.Builder
		for sc.Scan() {
			seen.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "successfully listen") {
				ready <- nil
				io.Copy(io.Discard, out)
				return
			}
		}
		ready <- errors.New("azurite exited:\n" + seen.String())
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("azurite did not start in 60 s")
	}
	return addr
}

// TestAzureBlob writes and reads azblob:// objects on Azurite, with the
// credentials from the environment (AZURE_STORAGE_ACCOUNT and _KEY).
// Not parallel: it sets the environment.
func TestAzureBlob(t *testing.T) {
	addr := azurite(t)
	t.Setenv("AZURE_STORAGE_ACCOUNT", azuriteAccount)
	t.Setenv("AZURE_STORAGE_KEY", azuriteKey)
	ctx := context.Background()
	cred, err := azblob.NewSharedKeyCredential(azuriteAccount, azuriteKey)
	if err != nil {
		t.Fatal(err)
	}
	client, err := azblob.NewClientWithSharedKeyCredential(fmt.Sprintf("http://%s/%s/", addr, azuriteAccount), cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateContainer(ctx, "etl", nil); err != nil {
		t.Fatal(err)
	}
	url := func(key string) string {
		return "azblob://etl/" + key + "?localemu=true&protocol=http&domain=" + addr
	}
	data := strings.Repeat("sku,qty\nA,1\n", 1000)
	if err := blobio.Upload(ctx, url("exports/date=2026-11-22/data.csv"), strings.NewReader(data), "text/csv"); err != nil {
		t.Fatal(err)
	}
	o, err := blobio.Open(ctx, url("exports/date=2026-11-22/data.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	buf := make([]byte, 7)
	if n, err := o.ReadAt(buf, 8); n != 7 || err != nil || string(buf) != "A,1\nsku" {
		t.Errorf("ReadAt: %q, %v", buf[:n], err)
	}
	all, err := io.ReadAll(o)
	if err != nil || string(all) != data {
		t.Errorf("read %d bytes, %v", len(all), err)
	}
	// A failed upload leaves nothing.
	boom := errors.New("boom")
	if err := blobio.Upload(ctx, url("half.csv"), io.MultiReader(strings.NewReader("a\n"), errReader{boom}), "text/csv"); !errors.Is(err, boom) {
		t.Errorf("failed upload: %v", err)
	}
	if ok, err := blobio.Exists(ctx, url("half.csv")); ok || err != nil {
		t.Errorf("a failed upload left an object: %v, %v", ok, err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
