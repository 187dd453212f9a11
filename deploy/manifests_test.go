// Package deploy checks the container build file and the Kubernetes and
// Argo manifests in this directory: each manifest decodes strictly into
// the Kubernetes API types (a misspelt field fails), and each says what
// docs/scale.md promises (non-root, read-only root filesystem, API key from
// a Secret, journal in PostgreSQL without a password in its URL).
//
// It is a module of its own because k8s.io/api is heavy: `cd deploy && go
// test ./...` (.ci/run does).
package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// strict decodes YAML into v, refusing unknown and duplicate fields.
func strict(t *testing.T, path string, v any) {
	t.Helper()
	if err := yaml.UnmarshalStrict(readFile(t, path), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// nightlyJobs are the example jobs written for object storage: their sink
// path honours ${ETL_OUTPUT}.
func nightlyJobs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "jobs", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if strings.Contains(string(readFile(t, f)), "${ETL_OUTPUT") {
			out = append(out, strings.TrimSuffix(filepath.Base(f), ".yaml"))
		}
	}
	if len(out) == 0 {
		t.Fatal("no job in ../jobs honours ${ETL_OUTPUT}")
	}
	return out
}

func TestCronJobs(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("kubernetes", "cronjob-*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var cj batchv1.CronJob
			strict(t, f, &cj)
			if cj.APIVersion != "batch/v1" || cj.Kind != "CronJob" || cj.Name == "" || cj.Spec.Schedule == "" {
				t.Fatalf("not a named batch/v1 CronJob with a schedule: %s %s %q %q", cj.APIVersion, cj.Kind, cj.Name, cj.Spec.Schedule)
			}
			if cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
				t.Errorf("concurrencyPolicy %q, want Forbid", cj.Spec.ConcurrencyPolicy)
			}
			pod := cj.Spec.JobTemplate.Spec.Template.Spec
			job := checkPod(t, pod)
			seen[job] = true
			if want := "etl-" + job; cj.Name != want {
				t.Errorf("CronJob %s runs job %s: name it %s", cj.Name, job, want)
			}
		})
	}
	for _, job := range nightlyJobs(t) {
		if !seen[job] {
			t.Errorf("jobs/%s.yaml writes to ${ETL_OUTPUT} but has no kubernetes/cronjob-%s.yaml", job, job)
		}
	}
}

var jobArg = regexp.MustCompile(`^jobs/([a-z0-9-]+)\.yaml$`)

// checkPod checks a pod spec that runs etl and returns the job it runs.
func checkPod(t *testing.T, pod corev1.PodSpec) string {
	t.Helper()
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	sc := pod.SecurityContext
	if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 {
		t.Error("the pod must run as a non-root user (runAsNonRoot, runAsUser)")
	}
	return checkContainer(t, pod.Containers[0], pod.Volumes)
}

func checkContainer(t *testing.T, c corev1.Container, volumes []corev1.Volume) string {
	t.Helper()
	if c.SecurityContext == nil || c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem {
		t.Error("readOnlyRootFilesystem must be true")
	}
	if c.SecurityContext == nil || c.SecurityContext.AllowPrivilegeEscalation == nil || *c.SecurityContext.AllowPrivilegeEscalation {
		t.Error("allowPrivilegeEscalation must be false")
	}
	// A read-only root needs a writable TMPDIR.
	tmp := false
	for _, m := range c.VolumeMounts {
		if m.MountPath == "/tmp" {
			tmp = slices.ContainsFunc(volumes, func(v corev1.Volume) bool { return v.Name == m.Name && v.EmptyDir != nil })
		}
	}
	if !tmp {
		t.Error("mount an emptyDir at /tmp: etl writes temporary files there")
	}
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	if k := env["INFLOW_API_KEY"]; k.Value != "" || k.ValueFrom == nil || k.ValueFrom.SecretKeyRef == nil {
		t.Error("INFLOW_API_KEY must come from a Secret (valueFrom.secretKeyRef)")
	}
	journal := env["ETL_JOURNAL"].Value
	if !strings.HasPrefix(journal, "postgres://") {
		t.Errorf("ETL_JOURNAL %q: the journal belongs in PostgreSQL (a pod's disk is gone after the run)", journal)
	}
	if strings.Contains(journal, ":@") || regexp.MustCompile(`//[^/@]*:[^/@]*@`).MatchString(journal) || strings.Contains(journal, "password=") {
		t.Errorf("ETL_JOURNAL %q carries a password: give it in PGPASSWORD from a Secret", journal)
	}
	if p := env["PGPASSWORD"]; p.ValueFrom == nil || p.ValueFrom.SecretKeyRef == nil {
		t.Error("PGPASSWORD must come from a Secret")
	}
	if out := env["ETL_OUTPUT"].Value; !strings.Contains(out, "://") {
		t.Errorf("ETL_OUTPUT %q: exports belong in object storage", out)
	}
	if len(c.Args) < 2 || c.Args[0] != "run" {
		t.Fatalf("args %q: want run jobs/NAME.yaml", c.Args)
	}
	m := jobArg.FindStringSubmatch(c.Args[1])
	if m == nil {
		t.Fatalf("args %q: want run jobs/NAME.yaml", c.Args)
	}
	job, err := os.ReadFile(filepath.Join("..", c.Args[1]))
	if err != nil {
		t.Errorf("the image has no %s: %v", c.Args[1], err)
	} else if !strings.Contains(string(job), "${ETL_OUTPUT") {
		t.Errorf("%s writes to the pod's disk, gone after the run: make its sink path ${ETL_OUTPUT:-../out}/...", c.Args[1])
	}
	return m[1]
}

func TestContainerfile(t *testing.T) {
	t.Parallel()
	cf := string(readFile(t, "Containerfile"))
	for _, want := range []string{"CGO_ENABLED=0", "FROM gcr.io/distroless/static", "USER 65532:65532", "COPY --from=build /src/jobs /etl/jobs"} {
		if !strings.Contains(cf, want) {
			t.Errorf("Containerfile lacks %q", want)
		}
	}
	if regexp.MustCompile(`(?m)^USER\s+(0|root)\b`).MatchString(cf) {
		t.Error("Containerfile runs as root")
	}
}
