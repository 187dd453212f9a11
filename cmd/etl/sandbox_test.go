package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseFaults(t *testing.T) {
	f, err := parseFaults("error=0.05, drop=0.01,latency=50ms")
	if err != nil || f.ErrorRate != 0.05 || f.DropRate != 0.01 || f.Latency != 50*time.Millisecond {
		t.Fatalf("got %+v, %v", f, err)
	}
	if f, err := parseFaults(""); err != nil || f.ErrorRate != 0 {
		t.Fatalf("empty: %+v, %v", f, err)
	}
	for in, want := range map[string]string{
		"error=2":      "between 0 and 1",
		"error":        "not key=value",
		"boom=0.1":     `unknown fault "boom"`,
		"latency=fast": "--faults latency",
	} {
		if _, err := parseFaults(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseFaults(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}
