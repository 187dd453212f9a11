package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestREADME runs the commands of README.md in order, as a new user would
// on a fresh clone: every line of every ```sh block, in one shell, in a
// directory holding a copy of jobs/ and samples/, with this test binary as
// ./etl. testdata/readme.txt lists the same commands, each with the exit
// code it must end with and what its output must say; the test fails when
// the two lists differ, so the README cannot change without the check.
//
// readme.txt: a line "$ COMMAND" starts a command (exactly as in the
// README); the lines after it say
//
//	exit N           its exit status (default 0)
//	stdout REGEXP    its standard output matches (stderr likewise)
//	skip REASON      it is not run here (go build: this binary is ./etl)
//	wait FILE TEXT   after a background command: go on once FILE holds TEXT
//
// "go run ./cmd/etl" runs ./etl, and its exit status is the program's.
func TestREADME(t *testing.T) {
	t.Parallel()
	_, file, _, _ := runtime.Caller(0)
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	readme, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	got := readmeCommands(string(readme))
	steps := loadReadmeScript(t, filepath.Join("testdata", "readme.txt"))
	var want []string
	for _, s := range steps {
		want = append(want, s.cmd)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("README.md's commands and testdata/readme.txt differ: update readme.txt with the README\nREADME.md:\n  %s\nreadme.txt:\n  %s",
			strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}

	dir := t.TempDir()
	for _, d := range []string{"jobs", "samples"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join(repo, d))); err != nil {
			t.Fatal(err)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(exe, filepath.Join(dir, "etl")); err != nil {
		t.Fatal(err)
	}

	var script strings.Builder
	script.WriteString("set -m\n")
	for i, s := range steps {
		if s.skip != "" {
			continue
		}
		cmd := s.cmd
		if rest, ok := strings.CutPrefix(cmd, "go run ./cmd/etl "); ok {
			cmd = "./etl " + rest
		}
		fmt.Fprintf(&script, "printf '\\n::step %d\\n'; printf '\\n::step %d\\n' >&2\n%s\nprintf '\\n::rc %d %%s\\n' $?\n", i, i, cmd, i)
		if s.waitFile != "" {
			fmt.Fprintf(&script, "for _ in $(seq 1200); do grep -q %q %q 2>/dev/null && break; sleep 0.05; done\n", s.waitText, s.waitFile)
		}
	}
	script.WriteString("kill $(jobs -p) 2>/dev/null; wait\n")

	sh := exec.Command("bash", "-c", script.String())
	sh.Dir = dir
	for _, kv := range os.Environ() {
		// A developer's own accounts must never be reached from here.
		if !hasAnyPrefix(kv, "INFLOW_", "GOFLOW_", "INVENTORA_", "ETL_", "HOME=") {
			sh.Env = append(sh.Env, kv)
		}
	}
	// The embedded emulators are paced at 60,000 requests a minute instead
	// of 6,000: the commands and their outcomes are the same, and the main
	// job's 587 requests take 0.6 s instead of 6 s of the suite's time.
	sh.Env = append(sh.Env, "HOME="+dir, "ETL_JOURNAL="+filepath.Join(dir, "journal.db"), "NO_COLOR=1",
		"INFLOW_RATE_PER_MINUTE=60000")
	var stdout, stderr strings.Builder
	sh.Stdout, sh.Stderr = &stdout, &stderr
	if err := sh.Run(); err != nil {
		t.Fatalf("the shell: %v\nstderr:\n%s", err, stderr.String())
	}
	outs, rcs := splitSteps(stdout.String())
	errs, _ := splitSteps(stderr.String())
	for i, s := range steps {
		if s.skip != "" {
			continue
		}
		rc, ran := rcs[i]
		switch {
		case !ran:
			t.Errorf("$ %s: did not run\nstderr:\n%s", s.cmd, errs[i])
			continue
		case rc != s.exit:
			t.Errorf("$ %s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", s.cmd, rc, s.exit, outs[i], errs[i])
		}
		for _, m := range s.stdout {
			if !m.MatchString(outs[i]) {
				t.Errorf("$ %s: stdout does not match %q:\n%s", s.cmd, m, outs[i])
			}
		}
		for _, m := range s.stderr {
			if !m.MatchString(errs[i]) {
				t.Errorf("$ %s: stderr does not match %q:\n%s", s.cmd, m, errs[i])
			}
		}
	}
}

// readmeCommands returns the command lines of the ```sh blocks of a
// README, without their trailing comments.
func readmeCommands(readme string) []string {
	var cmds []string
	in := false
	comment := regexp.MustCompile(`\s+#\s.*$`)
	for _, line := range strings.Split(readme, "\n") {
		switch {
		case strings.HasPrefix(line, "```sh"):
			in = true
		case strings.HasPrefix(line, "```"):
			in = false
		case in:
			line = strings.TrimSpace(comment.ReplaceAllString(line, ""))
			if line != "" && !strings.HasPrefix(line, "#") {
				cmds = append(cmds, line)
			}
		}
	}
	return cmds
}

type readmeStep struct {
	cmd                string
	exit               int
	stdout, stderr     []*regexp.Regexp
	skip               string
	waitFile, waitText string
}

func loadReadmeScript(t *testing.T, path string) []readmeStep {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []readmeStep
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if cmd, ok := strings.CutPrefix(line, "$ "); ok {
			steps = append(steps, readmeStep{cmd: cmd})
			continue
		}
		if len(steps) == 0 {
			t.Fatalf("%s:%d: %q before the first command", path, n, line)
		}
		s := &steps[len(steps)-1]
		verb, arg, _ := strings.Cut(line, " ")
		switch verb {
		case "exit":
			if s.exit, err = strconv.Atoi(arg); err != nil {
				t.Fatalf("%s:%d: %v", path, n, err)
			}
		case "stdout", "stderr":
			re, err := regexp.Compile("(?m)" + arg)
			if err != nil {
				t.Fatalf("%s:%d: %v", path, n, err)
			}
			if verb == "stdout" {
				s.stdout = append(s.stdout, re)
			} else {
				s.stderr = append(s.stderr, re)
			}
		case "skip":
			s.skip = arg
		case "wait":
			s.waitFile, s.waitText, _ = strings.Cut(arg, " ")
		default:
			t.Fatalf("%s:%d: unknown directive %q", path, n, verb)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return steps
}

// splitSteps splits a shell's output at its "::step N" markers, and reads
// the "::rc N CODE" lines.
func splitSteps(out string) (map[int]string, map[int]int) {
	texts, rcs := map[int]string{}, map[int]int{}
	step := -1
	for _, line := range strings.SplitAfter(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "::step "); ok {
			step, _ = strconv.Atoi(strings.TrimSpace(rest))
			continue
		}
		if rest, ok := strings.CutPrefix(line, "::rc "); ok {
			var i, rc int
			if _, err := fmt.Sscan(rest, &i, &rc); err == nil {
				rcs[i] = rc
			}
			continue
		}
		if step >= 0 {
			texts[step] += line
		}
	}
	return texts, rcs
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
