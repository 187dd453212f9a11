package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// versionText is what `etl --version` prints: the module version, the
// commit it was built from (with "+ local changes" when the tree was
// dirty) and the Go version, from the build information the Go toolchain
// embeds. `go run` and `go test` builds carry no commit; the text says so.
func versionText(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "etl: no build information (built without module support)\n"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var commit, when string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	line := fmt.Sprintf("etl %s (%s)", version, info.Main.Path)
	switch {
	case commit == "":
		line += ", commit unknown (built without VCS information, e.g. by go run; go build or go install records it)"
	default:
		if len(commit) > 12 {
			commit = commit[:12]
		}
		line += ", commit " + commit
		if when != "" {
			line += " of " + when
		}
		if dirty {
			line += " + local changes"
		}
	}
	goVersion := info.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	return fmt.Sprintf("%s, %s %s/%s\n", line, goVersion, runtime.GOOS, runtime.GOARCH)
}

func buildVersion() string { return versionText(debug.ReadBuildInfo()) }
