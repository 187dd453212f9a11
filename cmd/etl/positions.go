package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/jobfile"
)

// placeSourceError turns an error opening the job's source into a job
// file error at the setting it is about: a missing file at source.path,
// with the closest existing file as a hint; a missing sheet at
// source.sheet; anything else at the source section. Errors that already
// have positions pass through.
func placeSourceError(job *jobfile.Job, err error) error {
	var errs jobfile.Errors
	if errors.As(err, &errs) {
		return err
	}
	msg := strings.TrimPrefix(err.Error(), job.Path+": ")
	e := &jobfile.Error{File: job.Path, Message: msg}
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist) && settingText(job.Source, "Path") != "":
		e.Line, e.Column = job.Position("source.path")
		e.Message = fmt.Sprintf("source.path: there is no file %s", job.Env.Display(pe.Path))
		e.Hint = closestFile(job, pe.Path)
	case settingText(job.Source, "Sheet") != "" && strings.Contains(msg, "sheet "):
		e.Line, e.Column = job.Position("source.sheet")
		e.Message = "source.sheet: " + strings.TrimPrefix(msg, "source: ")
	default:
		e.Line, e.Column = job.Position("source")
	}
	return jobfile.Errors{e}
}

// closestFile names the existing file nearest to a missing one: in its
// directory, or, when the directory is missing too, the nearest directory
// that exists.
func closestFile(job *jobfile.Job, missing string) string {
	dir := filepath.Dir(missing)
	entries, err := os.ReadDir(dir)
	if err != nil {
		for d := dir; ; {
			parent := filepath.Dir(d)
			if parent == d {
				return ""
			}
			if fi, err := os.Stat(parent); err == nil && fi.IsDir() {
				return fmt.Sprintf("the directory %s does not exist; %s does", job.Env.Display(dir), job.Env.Display(parent))
			}
			d = parent
		}
	}
	var names, sameExt []string
	ext := strings.ToLower(filepath.Ext(missing))
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		names = append(names, e.Name())
		if strings.ToLower(filepath.Ext(e.Name())) == ext {
			sameExt = append(sameExt, e.Name())
		}
	}
	if c := suggest.Closest(filepath.Base(missing), names); c != "" {
		return fmt.Sprintf("did you mean %s?", job.Env.Display(filepath.Join(dir, c)))
	}
	if len(sameExt) > 0 {
		sort.Strings(sameExt)
		if len(sameExt) > 5 {
			sameExt = append(sameExt[:5], "...")
		}
		return fmt.Sprintf("the %s files in %s are: %s", ext, job.Env.Display(dir), strings.Join(sameExt, ", "))
	}
	return fmt.Sprintf("%s has no %s files", job.Env.Display(dir), ext)
}

// syntaxExcerpt shows the line of a job file that a YAML syntax error
// points at, with a caret under the column:
//
//	2 | sink: [type: jsonl, path: out/x.jsonl}
//	  |                                      ^
func syntaxExcerpt(e *jobfile.Error) string {
	if e.Line <= 0 || !strings.HasPrefix(e.Message, "syntax error") {
		return ""
	}
	data, err := os.ReadFile(e.File)
	if err != nil {
		return ""
	}
	lines := strings.Split(string(data), "\n")
	if e.Line > len(lines) {
		return ""
	}
	line := strings.TrimRight(lines[e.Line-1], "\r")
	col := max(e.Column, 1)
	// The caret goes under the column's character, tabs kept as tabs.
	var pad strings.Builder
	for i, r := range []rune(line) {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			pad.WriteRune('\t')
		} else {
			pad.WriteRune(' ')
		}
	}
	num := fmt.Sprintf("%4d", e.Line)
	return fmt.Sprintf("%s | %s\n%s | %s^", num, line, strings.Repeat(" ", len(num)), pad.String())
}

// printJobErrors prints job file errors one a line, each syntax error
// followed by the source line and a caret.
func printJobErrors(w interface{ Write([]byte) (int, error) }, errs jobfile.Errors) {
	for _, e := range errs {
		fmt.Fprintln(w, e.Error())
		if ex := syntaxExcerpt(e); ex != "" {
			fmt.Fprintln(w, ex)
		}
	}
}

// printError prints job file errors with printJobErrors, any other error
// on its own line.
func printError(w interface{ Write([]byte) (int, error) }, err error) {
	var errs jobfile.Errors
	if errors.As(err, &errs) {
		printJobErrors(w, errs)
		return
	}
	fmt.Fprintln(w, err)
}
