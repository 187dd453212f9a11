package sinks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/etl-dev/etl/pipeline"
)

// Path templates, replaced in a file sink's path when it opens. Times are
// the moment the sink opens, in UTC, so that a nightly job run at 00:30 in
// Sydney and one run in Chicago name the same day the same way.
const (
	tmplDate = "{date}" // 2026-11-22
	tmplTime = "{time}" // 231405 (HHMMSS)
	tmplJob  = "{job}"  // the job's name
)

// Partition keys: Hive-style directories key=value inserted between the
// path's directory and its file name.
var partitionKeys = map[string]func(time.Time) string{
	"date":  func(t time.Time) string { return t.Format("2006-01-02") },
	"year":  func(t time.Time) string { return t.Format("2006") },
	"month": func(t time.Time) string { return t.Format("01") },
	"day":   func(t time.Time) string { return t.Format("02") },
	"hour":  func(t time.Time) string { return t.Format("15") },
}

// outputPath resolves a file sink's path setting as written in the job:
// templates expanded ({date}, {time}, {job}; {{ and }} for literal
// braces), partition directories inserted before the file name, and the
// result resolved against the job's directory.
//
//	path: out/products-{date}.parquet          → out/products-2026-11-22.parquet
//	path: out/products/data.parquet
//	partition: date                            → out/products/date=2026-11-22/data.parquet
//	partition: year/month/day                  → out/products/year=2026/month=11/day=22/data.parquet
func outputPath(env pipeline.Env, path, partition string) (string, error) {
	if path == "" {
		return "", nil // createOutput explains
	}
	t := env.Now().UTC()
	p, err := expandTemplates(path, t, env.Job)
	if err != nil {
		return "", err
	}
	dirs, err := partitionDirs(partition, t)
	if err != nil {
		return "", err
	}
	if pipeline.IsObjectURL(p) {
		return objectOutputPath(p, dirs) // object.go
	}
	if len(dirs) > 0 {
		dir, file := filepath.Split(p)
		p = filepath.Join(append(append([]string{dir}, dirs...), file)...)
	}
	return env.Path(p), nil
}

// partitionDirs returns the key=value directories of a partition setting
// at time t.
func partitionDirs(partition string, t time.Time) ([]string, error) {
	partition = strings.TrimSpace(partition)
	if partition == "" {
		return nil, nil
	}
	var dirs []string
	seen := map[string]bool{}
	for _, key := range strings.Split(partition, "/") {
		key = strings.ToLower(strings.TrimSpace(key))
		value, ok := partitionKeys[key]
		if !ok {
			return nil, fmt.Errorf("partition %q: %q is not a partition key: use date, or year/month/day (and hour), separated by /", partition, key)
		}
		if seen[key] {
			return nil, fmt.Errorf("partition %q names %s twice", partition, key)
		}
		seen[key] = true
		dirs = append(dirs, key+"="+value(t))
	}
	return dirs, nil
}

// checkOutput validates the path and partition settings every file sink
// has, for Validate.
func checkOutput(errs *pipeline.SettingErrors, ext, path, partition string) {
	if path == "" {
		errs.Add(&pipeline.SettingError{Setting: "path",
			Message: fmt.Sprintf("path is not set: give the file to write, e.g. path: out/products%s", ext)})
	} else if _, err := expandTemplates(path, time.Time{}, "job"); err != nil {
		errs.Add(&pipeline.SettingError{Setting: "path", Message: err.Error()})
	}
	if _, err := partitionDirs(partition, time.Time{}); err != nil {
		errs.Add(&pipeline.SettingError{Setting: "partition", Message: err.Error()})
	}
}

// expandTemplates replaces the templates of a path.
func expandTemplates(path string, t time.Time, job string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(path); {
		switch {
		case strings.HasPrefix(path[i:], "{{"):
			b.WriteByte('{')
			i += 2
		case strings.HasPrefix(path[i:], "}}"):
			b.WriteByte('}')
			i += 2
		case path[i] == '{':
			end := strings.IndexByte(path[i:], '}')
			if end < 0 {
				return "", fmt.Errorf("path %q: a { without its }: use {date}, {time} or {job}, or {{ for a brace", path)
			}
			switch name := path[i : i+end+1]; name {
			case tmplDate:
				b.WriteString(t.Format("2006-01-02"))
			case tmplTime:
				b.WriteString(t.Format("150405"))
			case tmplJob:
				j := strings.TrimSpace(job)
				if j == "" {
					return "", fmt.Errorf("path %q: {job} needs the job's name, which this run does not have", path)
				}
				b.WriteString(strings.NewReplacer("/", "_", `\`, "_", ":", "_").Replace(j))
			default:
				return "", fmt.Errorf("path %q: %s is not a template: use {date}, {time} or {job}, or {{ for a brace", path, name)
			}
			i += end + 1
		default:
			b.WriteByte(path[i])
			i++
		}
	}
	return b.String(), nil
}

// outputFile is the temporary file a file sink writes. commit makes it the
// final file in one rename; abort removes it. Neither leaves a half-written
// file at the final path.
type outputFile struct {
	path    string // final path
	tmpPath string
	f       *os.File
	done    bool // committed or aborted
	// madeDirs are the directories Open created for the file, deepest
	// first; abort removes them again when they are empty, so that an
	// aborted run (a dry run) leaves the destination as it was.
	madeDirs []string
	// remote: path is an object URL, and commit uploads the temporary
	// file (object.go).
	remote bool
}

// createOutput resolves the sink's path setting (templates, partition,
// relative to the job), checks the destination and creates the temporary
// file in its directory, creating the directory if needed.
func createOutput(env pipeline.Env, pathSetting, partition string) (*outputFile, error) {
	const setting = "path"
	path, err := outputPath(env, pathSetting, partition)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return nil, fmt.Errorf("%s is not set: give the file to write, e.g. %s: out/products.csv", setting, setting)
	}
	if pipeline.IsObjectURL(path) {
		return createObjectOutput(path) // object.go
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s %s is a directory: give a file name inside it", setting, path)
	}
	dir := filepath.Dir(path)
	var made []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		made = append(made, d)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%s %s: cannot create its directory: %w", setting, path, err)
	}
	o := &outputFile{path: path, madeDirs: made}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		o.removeDirs()
		return nil, fmt.Errorf("%s %s: cannot create a file in its directory: %w", setting, path, err)
	}
	o.tmpPath, o.f = f.Name(), f
	return o, nil
}

// removeDirs removes the directories createOutput made, deepest first,
// as far as they are empty.
func (o *outputFile) removeDirs() {
	for _, d := range o.madeDirs {
		if os.Remove(d) != nil {
			return
		}
	}
}

// commit fsyncs the temporary file and renames it onto the final path. On
// failure it removes the temporary file, so that abort has nothing left to
// do, and any previous file at the final path is intact.
func (o *outputFile) commit() error {
	if o.done {
		return errors.New("file already closed")
	}
	err := o.finish()
	if err != nil {
		return errors.Join(fmt.Errorf("%s: %w", o.path, err), o.abort())
	}
	o.done = true
	return nil
}

func (o *outputFile) finish() error {
	if o.remote {
		return o.upload()
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(o.path); err == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm()
	}
	if err := o.f.Chmod(mode); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if err := o.f.Sync(); err != nil {
		return err
	}
	if err := o.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(o.tmpPath, o.path); err != nil {
		return err
	}
	syncDir(filepath.Dir(o.path))
	return nil
}

// abort closes and removes the temporary file. It does nothing after commit
// or a previous abort.
func (o *outputFile) abort() error {
	if o.done {
		return nil
	}
	o.done = true
	_ = o.f.Close() // the file is removed next: what it held does not matter
	if err := os.Remove(o.tmpPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the temporary file %s: %w", o.tmpPath, err)
	}
	o.removeDirs()
	return nil
}

// syncDir makes a rename in dir durable where the system allows it (not on
// Windows, where directories cannot be opened for sync).
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// fileSink is what the csv, jsonl and parquet sinks share: the temporary
// output and the bookkeeping of Close and Abort.
type fileSink struct {
	format  string // "csv", for messages
	out     *outputFile
	env     pipeline.Env
	closed  bool
	written int64
}

// close writes the sink's last bytes with flush and puts the file in place
// under its final name. On any failure, or when ctx is done, the temporary
// file is removed and the final path left as it was.
func (f *fileSink) close(ctx context.Context, flush func() error) error {
	if f.closed {
		return errClosed
	}
	f.closed = true
	if err := ctx.Err(); err != nil {
		return errors.Join(err, f.out.abort())
	}
	if err := flush(); err != nil {
		return errors.Join(fmt.Errorf("%s %s: %w", f.format, f.out.path, err), f.out.abort())
	}
	if err := f.out.commit(); err != nil {
		return err
	}
	f.env.Log().Debug(f.format+" file written", "path", f.out.path, "rows", f.written)
	return nil
}

// Output is the final path or object URL of the file.
func (f *fileSink) Output() string { return f.out.path }

// Abort removes the temporary file; the final path is left as it was.
func (f *fileSink) Abort() error {
	f.closed = true
	return f.out.abort()
}
