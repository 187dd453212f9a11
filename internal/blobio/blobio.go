// Package blobio reads and writes files in object storage, for every file
// source, file sink and report: a path such as
//
//	s3://bucket/exports/products.parquet?region=eu-west-1
//	gs://bucket/exports/products.parquet
//	azblob://container/exports/products.parquet
//
// names an object instead of a local file. The URL's host is the bucket
// (container), its path the object's key, and its query the bucket's
// settings as gocloud.dev/blob reads them: for S3 region, endpoint,
// use_path_style, disable_https, profile (S3-compatible stores such as
// SeaweedFS or Ceph: ?endpoint=http://host:8333&use_path_style=true, or
// AWS_ENDPOINT_URL in the environment, which implies path style).
// Credentials never come from the
// URL: each cloud's usual chain supplies them (AWS_ACCESS_KEY_ID or
// ~/.aws or the pod's role; GOOGLE_APPLICATION_CREDENTIALS or workload
// identity; AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or a managed
// identity).
//
// Each cloud's driver is linked unless the build leaves it out with a tag
// (drivers.go): -tags etl_no_gcs,etl_no_azure builds a smaller binary that
// knows only s3://.
//
// Reads stream (Object.Read) or read ranges (Object.ReadAt, one ranged GET
// each, as Parquet reads a footer and row groups). Writes appear whole or
// not at all: Upload completes the object only when all of it was sent and
// aborts the upload otherwise.
package blobio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
)

// schemes are the object-storage URL schemes.
var schemes = []string{"s3", "gs", "azblob"}

// IsURL tells whether p names an object (s3://, gs://, azblob://) rather
// than a local file.
func IsURL(p string) bool {
	scheme, _, ok := strings.Cut(p, "://")
	if !ok {
		return false
	}
	scheme = strings.ToLower(scheme)
	for _, s := range schemes {
		if scheme == s {
			return true
		}
	}
	return false
}

// Location is an object's URL taken apart.
type Location struct {
	Scheme string     // "s3"
	Bucket string     // the URL's host
	Key    string     // the object's key: the URL's path without its leading /
	Query  url.Values // the bucket's settings
}

// Parse takes an object URL apart. The key must name an object (not be
// empty or end in /).
func Parse(raw string) (Location, error) {
	u, err := url.Parse(raw)
	if err != nil || !IsURL(raw) {
		return Location{}, fmt.Errorf("%q is not an object URL: write s3://bucket/key, gs://bucket/key or azblob://container/key", raw)
	}
	loc := Location{Scheme: strings.ToLower(u.Scheme), Bucket: u.Host, Key: strings.TrimPrefix(u.Path, "/"), Query: u.Query()}
	switch {
	case loc.Bucket == "":
		return Location{}, fmt.Errorf("%s names no bucket: write %s://bucket/key", Redact(raw), loc.Scheme)
	case loc.Key == "" || strings.HasSuffix(loc.Key, "/"):
		return Location{}, fmt.Errorf("%s names no object: give the file's name after the bucket, e.g. %s://%s/exports/products.parquet", Redact(raw), loc.Scheme, loc.Bucket)
	}
	return loc, nil
}

// String puts the location back together.
func (l Location) String() string {
	u := url.URL{Scheme: l.Scheme, Host: l.Bucket, Path: "/" + l.Key, RawQuery: l.Query.Encode()}
	return u.String()
}

// WithKey is the location with another key in the same bucket.
func (l Location) WithKey(key string) Location {
	l.Key = path.Clean(strings.TrimPrefix(key, "/"))
	return l
}

// bucketURL is the URL gocloud opens the bucket from. An S3 endpoint set
// in the environment (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL: an
// S3-compatible store) implies path-style addressing unless the URL says
// otherwise, since such stores seldom serve bucket host names.
func (l Location) bucketURL() string {
	q := url.Values{}
	for k, v := range l.Query {
		q[k] = v
	}
	if l.Scheme == "s3" && !q.Has("use_path_style") && !q.Has("s3ForcePathStyle") && !q.Has("endpoint") &&
		(os.Getenv("AWS_ENDPOINT_URL_S3") != "" || os.Getenv("AWS_ENDPOINT_URL") != "") {
		q.Set("use_path_style", "true")
	}
	u := url.URL{Scheme: l.Scheme, Host: l.Bucket, RawQuery: q.Encode()}
	return u.String()
}

// Redact returns an object URL as it may be shown: the query's values that
// could be secret (none should be there; credentials come from the
// environment) are masked.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	changed := false
	for k := range q {
		switch strings.ToLower(k) {
		case "region", "endpoint", "use_path_style", "s3forcepathstyle", "disable_https", "profile",
			"hostname_immutable", "dualstack", "fips", "awssdk", "protocol", "domain", "localemu", "anonymous":
		default:
			q.Set(k, "xxxxx")
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// openBucket opens the location's bucket.
func openBucket(ctx context.Context, l Location) (*blob.Bucket, error) {
	if !linked[l.Scheme] {
		return nil, fmt.Errorf("%s: this etl was built without %s:// support (build tag etl_no_%s)", Redact(l.String()), l.Scheme, tagName[l.Scheme])
	}
	b, err := blob.OpenBucket(ctx, l.bucketURL())
	if err != nil {
		return nil, fmt.Errorf("%s: opening the bucket: %w", Redact(l.String()), err)
	}
	return b, nil
}

// Object is an object open for reading: Read streams it (from the
// position Seek set, at first its start), ReadAt reads any range with a
// ranged GET. ReadAt is safe to call from several goroutines; Read and
// Seek are for one.
type Object struct {
	loc     Location
	bucket  *blob.Bucket
	size    int64
	modTime time.Time
	ctx     context.Context

	mu        sync.Mutex
	pos       int64        // where Read reads next
	stream    *blob.Reader // reading from streamPos, opened by Read
	streamPos int64
	closed    bool
}

// Open opens the object at raw (an object URL) for reading. It fails at
// once when the object does not exist, naming it.
func Open(ctx context.Context, raw string) (*Object, error) {
	loc, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	b, err := openBucket(ctx, loc)
	if err != nil {
		return nil, err
	}
	attrs, err := b.Attributes(ctx, loc.Key)
	if err != nil {
		b.Close()
		if gcerrors.Code(err) == gcerrors.NotFound {
			return nil, fmt.Errorf("open %s: no such object in bucket %s", Redact(raw), loc.Bucket)
		}
		return nil, fmt.Errorf("open %s: %w", Redact(raw), err)
	}
	return &Object{loc: loc, bucket: b, size: attrs.Size, modTime: attrs.ModTime, ctx: ctx}, nil
}

// Name is the object's URL as it may be shown.
func (o *Object) Name() string { return Redact(o.loc.String()) }

// Size is the object's size in bytes.
func (o *Object) Size() int64 { return o.size }

// ModTime is when the object was last written.
func (o *Object) ModTime() time.Time { return o.modTime }

// Read streams the object from the current position.
func (o *Object) Read(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return 0, errors.New("blobio: read after close")
	}
	if o.pos >= o.size {
		return 0, io.EOF
	}
	if o.stream != nil && o.streamPos != o.pos {
		o.stream.Close()
		o.stream = nil
	}
	if o.stream == nil {
		r, err := o.bucket.NewRangeReader(o.ctx, o.loc.Key, o.pos, o.size-o.pos, nil)
		if err != nil {
			return 0, fmt.Errorf("read %s: %w", o.Name(), err)
		}
		o.stream, o.streamPos = r, o.pos
	}
	n, err := o.stream.Read(p)
	o.pos += int64(n)
	o.streamPos = o.pos
	if err != nil && err != io.EOF {
		err = fmt.Errorf("read %s: %w", o.Name(), err)
	}
	return n, err
}

// Seek sets where Read reads next, as io.Seeker says; it sends nothing.
func (o *Object) Seek(offset int64, whence int) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += o.pos
	case io.SeekEnd:
		offset += o.size
	default:
		return 0, fmt.Errorf("seek %s: whence %d", o.Name(), whence)
	}
	if offset < 0 {
		return 0, fmt.Errorf("seek %s: negative position %d", o.Name(), offset)
	}
	o.pos = offset
	return offset, nil
}

// ReadAt reads len(p) bytes at off with one ranged read, as io.ReaderAt
// says: fewer only at the end of the object, with io.EOF.
func (o *Object) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("read %s: negative offset %d", o.Name(), off)
	}
	if off >= o.size {
		return 0, io.EOF
	}
	n := int64(len(p))
	if off+n > o.size {
		n = o.size - off
	}
	r, err := o.bucket.NewRangeReader(o.ctx, o.loc.Key, off, n, nil)
	if err != nil {
		return 0, fmt.Errorf("read %s at %d: %w", o.Name(), off, err)
	}
	defer r.Close()
	got, err := io.ReadFull(r, p[:n])
	if err != nil {
		return got, fmt.Errorf("read %s at %d: %w", o.Name(), off, err)
	}
	if n < int64(len(p)) {
		return got, io.EOF
	}
	return got, nil
}

// Close releases the object and its bucket. It is safe to call more than
// once.
func (o *Object) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil
	}
	o.closed = true
	var errs []error
	if o.stream != nil {
		errs = append(errs, o.stream.Close())
	}
	errs = append(errs, o.bucket.Close())
	return errors.Join(errs...)
}

// Upload writes r to the object at raw, whole or not at all: the object
// (any previous version stays readable meanwhile) is replaced only when
// everything was read from r and sent. When r fails, or ctx is cancelled,
// the upload is aborted: gocloud's writer cancels its context, which makes
// the S3 transfer manager abort the multipart upload (and GCS and Azure
// never commit the blocks sent), so no partial object appears.
func Upload(ctx context.Context, raw string, r io.Reader, contentType string) error {
	loc, err := Parse(raw)
	if err != nil {
		return err
	}
	b, err := openBucket(ctx, loc)
	if err != nil {
		return err
	}
	defer b.Close()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := b.NewWriter(wctx, loc.Key, &blob.WriterOptions{ContentType: contentType})
	if err != nil {
		return fmt.Errorf("write %s: %w", Redact(raw), err)
	}
	if _, err := io.Copy(w, r); err != nil {
		cancel() // abort: nothing becomes visible
		_ = w.Close()
		return fmt.Errorf("write %s: %w", Redact(raw), err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write %s: %w", Redact(raw), err)
	}
	return nil
}

// Stat returns the object's size, modification time and ETag (what
// changes when the object is written again).
func Stat(ctx context.Context, raw string) (size int64, mod time.Time, etag string, err error) {
	loc, err := Parse(raw)
	if err != nil {
		return 0, time.Time{}, "", err
	}
	b, err := openBucket(ctx, loc)
	if err != nil {
		return 0, time.Time{}, "", err
	}
	defer b.Close()
	a, err := b.Attributes(ctx, loc.Key)
	if err != nil {
		return 0, time.Time{}, "", fmt.Errorf("%s: %w", Redact(raw), err)
	}
	return a.Size, a.ModTime, a.ETag, nil
}

// Exists tells whether the object at raw exists.
func Exists(ctx context.Context, raw string) (bool, error) {
	loc, err := Parse(raw)
	if err != nil {
		return false, err
	}
	b, err := openBucket(ctx, loc)
	if err != nil {
		return false, err
	}
	defer b.Close()
	ok, err := b.Exists(ctx, loc.Key)
	if err != nil {
		return false, fmt.Errorf("%s: %w", Redact(raw), err)
	}
	return ok, nil
}
