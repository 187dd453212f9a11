package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionText(t *testing.T) {
	t.Parallel()
	info := &debug.BuildInfo{
		GoVersion: "go1.26.0",
		Main:      debug.Module{Path: "github.com/etl-dev/etl", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "59e4536a1b2c3d4e5f60718293a4b5c6d7e8f901"},
			{Key: "vcs.time", Value: "2026-11-30T17:02:11Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	got := versionText(info, true)
	for _, want := range []string{"etl v1.4.0 (github.com/etl-dev/etl)", "commit 59e4536a1b2c of 2026-11-30T17:02:11Z + local changes", "go1.26.0"} {
		if !strings.Contains(got, want) {
			t.Errorf("versionText = %q, want it to contain %q", got, want)
		}
	}
	info.Settings = nil
	info.Main.Version = ""
	if got := versionText(info, true); !strings.Contains(got, "etl (devel)") || !strings.Contains(got, "commit unknown") {
		t.Errorf("without VCS: %q", got)
	}
	if got := versionText(nil, false); !strings.Contains(got, "no build information") {
		t.Errorf("without build info: %q", got)
	}
}
