package deploy

import (
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Argo's own Go module (github.com/argoproj/argo-workflows/v3) pulls in
// Kubernetes' client libraries and much more; the test decodes the
// Workflow strictly against this mirror of the part of its schema the
// example uses (field names and types as in Argo's v1alpha1 types), with
// the Kubernetes types it embeds taken from k8s.io/api.

type workflow struct {
	metav1.TypeMeta `json:",inline"`
	Metadata        metav1.ObjectMeta `json:"metadata"`
	Spec            workflowSpec      `json:"spec"`
}

type workflowSpec struct {
	Entrypoint         string                     `json:"entrypoint"`
	ServiceAccountName string                     `json:"serviceAccountName,omitempty"`
	Parallelism        *int64                     `json:"parallelism,omitempty"`
	Arguments          arguments                  `json:"arguments,omitempty"`
	SecurityContext    *corev1.PodSecurityContext `json:"securityContext,omitempty"`
	Volumes            []corev1.Volume            `json:"volumes,omitempty"`
	Templates          []template                 `json:"templates"`
}

type arguments struct {
	Parameters []parameter `json:"parameters,omitempty"`
}

type parameter struct {
	Name  string  `json:"name"`
	Value *string `json:"value,omitempty"`
}

type template struct {
	Name                  string              `json:"name"`
	Inputs                *inputs             `json:"inputs,omitempty"`
	Steps                 [][]workflowStep    `json:"steps,omitempty"`
	Container             *corev1.Container   `json:"container,omitempty"`
	RetryStrategy         *retryStrategy      `json:"retryStrategy,omitempty"`
	ActiveDeadlineSeconds *intstr.IntOrString `json:"activeDeadlineSeconds,omitempty"`
	Parallelism           *int64              `json:"parallelism,omitempty"`
}

type inputs struct {
	Parameters []parameter `json:"parameters,omitempty"`
}

type workflowStep struct {
	Name      string    `json:"name"`
	Template  string    `json:"template"`
	Arguments arguments `json:"arguments,omitempty"`
	WithParam string    `json:"withParam,omitempty"`
	WithItems []any     `json:"withItems,omitempty"`
}

type retryStrategy struct {
	Limit       *intstr.IntOrString `json:"limit,omitempty"`
	RetryPolicy string              `json:"retryPolicy,omitempty"`
}

func TestArgoWorkflows(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("argo", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Argo workflows: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var wf workflow
			strict(t, f, &wf)
			if wf.APIVersion != "argoproj.io/v1alpha1" || wf.Kind != "Workflow" {
				t.Fatalf("%s %s: want an argoproj.io/v1alpha1 Workflow", wf.APIVersion, wf.Kind)
			}
			if wf.Spec.Parallelism == nil || *wf.Spec.Parallelism < 1 {
				t.Error("spec.parallelism must bound the fan-out")
			}
			byName := map[string]template{}
			for _, tpl := range wf.Spec.Templates {
				byName[tpl.Name] = tpl
			}
			entry, ok := byName[wf.Spec.Entrypoint]
			if !ok {
				t.Fatalf("entrypoint %q names no template", wf.Spec.Entrypoint)
			}
			params := map[string]bool{}
			for _, p := range wf.Spec.Arguments.Parameters {
				params[p.Name] = true
			}
			fans := 0
			for _, group := range entry.Steps {
				for _, st := range group {
					tpl, ok := byName[st.Template]
					if !ok {
						t.Fatalf("step %s names no template %q", st.Name, st.Template)
					}
					if st.WithParam != "" {
						fans++
						name := strings.TrimSuffix(strings.TrimPrefix(st.WithParam, "{{workflow.parameters."), "}}")
						if !params[name] {
							t.Errorf("step %s fans out over %s, which is not a workflow parameter", st.Name, st.WithParam)
						}
					}
					if tpl.Container == nil {
						t.Fatalf("template %s runs no container", tpl.Name)
					}
					if wf.Spec.SecurityContext == nil || wf.Spec.SecurityContext.RunAsNonRoot == nil || !*wf.Spec.SecurityContext.RunAsNonRoot {
						t.Error("the workflow's pods must run as non-root")
					}
					checkContainer(t, *tpl.Container, wf.Spec.Volumes)
					env := map[string]string{}
					for _, e := range tpl.Container.Env {
						env[e.Name] = e.Value
					}
					// One name per account: the run lock and the bookmarks are per job name.
					if !strings.Contains(env["ETL_JOB_NAME"], "{{inputs.parameters.") {
						t.Errorf("ETL_JOB_NAME %q must differ per account", env["ETL_JOB_NAME"])
					}
				}
			}
			if fans == 0 {
				t.Error("no step fans out over the accounts (withParam)")
			}
		})
	}
}
