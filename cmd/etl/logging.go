package main

import (
	"context"
	"fmt"
	"golang.org/x/term"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/etl-dev/etl/report"
)

// outputFlags are the root command's flags for what etl prints on stderr.
type outputFlags struct {
	logFormat string // "text" (sentences for people) or "json" (slog JSON lines)
	verbose   bool   // -v: also info messages
	debug     bool   // --debug: everything
	quiet     bool   // -q: only errors
}

// level is the least severe message printed.
func (o outputFlags) level() slog.Level {
	switch {
	case o.debug:
		return slog.LevelDebug
	case o.verbose:
		return slog.LevelInfo
	case o.quiet:
		return slog.LevelError
	}
	return slog.LevelWarn
}

func (o outputFlags) check() error {
	if o.logFormat != "text" && o.logFormat != "json" {
		return fmt.Errorf("--log-format must be text or json, not %q", o.logFormat)
	}
	if o.quiet && (o.verbose || o.debug) {
		return fmt.Errorf("-q and -v/--debug ask for opposite things: use one")
	}
	return nil
}

// newLogger returns the logger components log through. In text mode a
// message reads as a sentence: "warning: the journal could not record row
// outcomes (error: disk full)"; with --log-format json every message is one
// slog JSON object.
func newLogger(w io.Writer, o outputFlags, getenv func(string) string) *slog.Logger {
	if o.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: o.level()}))
	}
	return slog.New(&humanHandler{w: w, level: o.level(), color: useColor(w, getenv), mu: new(sync.Mutex)})
}

// useColor says whether w gets ANSI colours: only a terminal, and never
// when NO_COLOR is set to anything (https://no-color.org) or TERM is dumb.
func useColor(w io.Writer, getenv func(string) string) bool {
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// humanHandler is a slog.Handler that writes one plain line per message:
// the level as a word ("warning:", "error:"; info and debug lines have
// none), the message, then the attributes in parentheses as "key: value".
type humanHandler struct {
	w     io.Writer
	level slog.Level
	color bool
	mu    *sync.Mutex
	attrs []slog.Attr
	group string
}

func (h *humanHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *humanHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	prefix, color := "", ""
	switch {
	case r.Level >= slog.LevelError:
		prefix, color = "error: ", "\x1b[31m"
	case r.Level >= slog.LevelWarn:
		prefix, color = "warning: ", "\x1b[33m"
	case r.Level < slog.LevelInfo:
		prefix = "debug: "
	}
	if prefix != "" {
		if h.color && color != "" {
			b.WriteString(color + prefix + "\x1b[0m")
		} else {
			b.WriteString(prefix)
		}
	}
	b.WriteString(r.Message)
	var parts []string
	add := func(a slog.Attr) {
		a.Value = a.Value.Resolve()
		if a.Equal(slog.Attr{}) {
			return
		}
		key := a.Key
		if h.group != "" {
			key = h.group + "." + key
		}
		parts = append(parts, key+": "+attrText(a.Value))
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(func(a slog.Attr) bool { add(a); return true })
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func attrText(v slog.Value) string {
	switch v.Kind() {
	case slog.KindDuration:
		return report.HumanDuration(v.Duration())
	case slog.KindGroup:
		var parts []string
		for _, a := range v.Group() {
			parts = append(parts, a.Key+" "+attrText(a.Value.Resolve()))
		}
		return strings.Join(parts, ", ")
	}
	return v.String()
}

func (h *humanHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &c
}

func (h *humanHandler) WithGroup(name string) slog.Handler {
	c := *h
	if c.group != "" {
		name = c.group + "." + name
	}
	c.group = name
	return &c
}
