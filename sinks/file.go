package sinks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// outputFile is the temporary file a file sink writes. commit makes it the
// final file in one rename; abort removes it. Neither leaves a half-written
// file at the final path.
type outputFile struct {
	path    string // final path
	tmpPath string
	f       *os.File
	done    bool // committed or aborted
}

// createOutput checks the destination and creates the temporary file in its
// directory, creating the directory if needed. setting names the job-file
// setting that holds the path, for error messages.
func createOutput(path, setting string) (*outputFile, error) {
	if path == "" {
		return nil, fmt.Errorf("%s is not set: give the file to write, e.g. %s: out/products.csv", setting, setting)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s %s is a directory: give a file name inside it", setting, path)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%s %s: cannot create its directory: %w", setting, path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("%s %s: cannot create a file in its directory: %w", setting, path, err)
	}
	return &outputFile{path: path, tmpPath: f.Name(), f: f}, nil
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
		_ = o.abort()
		return fmt.Errorf("%s: %w", o.path, err)
	}
	o.done = true
	return nil
}

func (o *outputFile) finish() error {
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
	_ = o.f.Close()
	if err := os.Remove(o.tmpPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
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
