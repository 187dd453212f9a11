// Package s3test serves an S3-compatible object store for tests, in the
// test's process over loopback: github.com/johannesboyne/gofakes3 (MIT)
// with an in-memory backend, behind httptest.
//
// The AWS SDK still wants credentials and a region from its usual chain:
// call SetEnv from TestMain (once, before tests run in parallel), and pass
// Env to subprocesses.
package s3test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"gocloud.dev/blob"
	_ "gocloud.dev/blob/s3blob" // s3://
)

// Server is a running object store.
type Server struct {
	srv     *httptest.Server
	backend *s3mem.Backend

	mu   sync.Mutex
	gets []Get
}

// Get is one object read the store served.
type Get struct {
	Key   string
	Range string // the Range header, "" for a whole-object read
}

// Start starts a store with the given buckets; it stops when t ends.
func Start(t testing.TB, buckets ...string) *Server {
	t.Helper()
	be := s3mem.New()
	for _, b := range buckets {
		if err := be.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	faker := gofakes3.New(be, gofakes3.WithAutoBucket(false))
	s := &Server{backend: be}
	next := faker.Server()
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Count(strings.Trim(r.URL.Path, "/"), "/") >= 1 {
			_, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
			s.mu.Lock()
			s.gets = append(s.gets, Get{Key: key, Range: r.Header.Get("Range")})
			s.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// Gets returns the object reads served so far, in order.
func (s *Server) Gets() []Get {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Get(nil), s.gets...)
}

// Endpoint is the store's http:// URL.
func (s *Server) Endpoint() string { return s.srv.URL }

// Query is what an s3:// URL needs to reach the store.
func (s *Server) Query() string {
	q := url.Values{"endpoint": {s.srv.URL}, "use_path_style": {"true"}, "disable_https": {"true"}}
	return q.Encode()
}

// URL is the s3:// URL of key in bucket on this store.
func (s *Server) URL(bucket, key string) string {
	return "s3://" + bucket + "/" + key + "?" + s.Query()
}

// env is what the AWS SDK's default chain reads.
var env = []string{
	"AWS_ACCESS_KEY_ID=etl-test", "AWS_SECRET_ACCESS_KEY=etl-test-secret", "AWS_REGION=us-east-1",
	"AWS_EC2_METADATA_DISABLED=true", // no instance-metadata probes off a cloud
	// gofakes3 sends the whole object's checksum with a ranged read, which
	// S3 does not: check checksums only where the request asked for them.
	"AWS_RESPONSE_CHECKSUM_VALIDATION=when_required",
}

// SetEnv sets the AWS credentials and region the tests' SDK reads. Call it
// from TestMain.
func SetEnv() {
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		os.Setenv(k, v)
	}
}

// Env is SetEnv's variables, for a subprocess's environment.
func Env() []string { return append([]string(nil), env...) }

func (s *Server) bucket(t testing.TB, name string) *blob.Bucket {
	t.Helper()
	b, err := blob.OpenBucket(context.Background(), "s3://"+name+"?"+s.Query())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Get returns the object bucket/key; ok is false when there is none.
func (s *Server) Get(t testing.TB, bucket, key string) (data []byte, ok bool) {
	t.Helper()
	b := s.bucket(t, bucket)
	defer b.Close()
	r, err := b.NewReader(context.Background(), key, nil)
	if err != nil {
		return nil, false
	}
	defer r.Close()
	data, err = io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return data, true
}

// Put stores data as bucket/key.
func (s *Server) Put(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	b := s.bucket(t, bucket)
	defer b.Close()
	if err := b.WriteAll(context.Background(), key, data, nil); err != nil {
		t.Fatal(err)
	}
}

// Keys lists the objects of bucket, sorted.
func (s *Server) Keys(t testing.TB, bucket string) []string {
	t.Helper()
	b := s.bucket(t, bucket)
	defer b.Close()
	var keys []string
	it := b.List(nil)
	for {
		o, err := it.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, o.Key)
	}
	sort.Strings(keys)
	return keys
}
