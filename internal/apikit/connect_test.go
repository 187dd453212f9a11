package apikit

import (
	"strings"
	"testing"
)

func spec(env map[string]string, sandbox string, job Limits) ConnectSpec {
	return ConnectSpec{
		Title: "inFlow", AccountLabel: "company id",
		Env: EnvNames{Key: "X_API_KEY", Account: "X_COMPANY_ID", BaseURL: "X_BASE_URL",
			RatePerMinute: "X_RATE_PER_MINUTE", RatePerHour: "X_RATE_PER_HOUR"},
		Sandbox: sandbox, Job: job,
		Default: Limits{PerMinute: 60}, SandboxDefault: Limits{PerMinute: 6000},
		Getenv: func(k string) string { return env[k] },
	}
}

func TestResolvePrecedence(t *testing.T) {
	t.Parallel()
	account := map[string]string{"X_API_KEY": "k", "X_COMPANY_ID": "c", "X_BASE_URL": "https://h"}
	with := func(extra ...string) map[string]string {
		m := map[string]string{}
		for k, v := range account {
			m[k] = v
		}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		sandbox string
		job     Limits
		want    Limits
		sandbx  bool
		note    string
	}{
		{"default", account, "", Limits{}, Limits{PerMinute: 60}, false, ""},
		{"job sets", account, "", Limits{PerMinute: 30, PerHour: 900}, Limits{PerMinute: 30, PerHour: 900}, false, ""},
		{"env beats job", with("X_RATE_PER_MINUTE", "20"), "", Limits{PerMinute: 30}, Limits{PerMinute: 20}, false,
			"X_RATE_PER_MINUTE=20 overrides the job's rate_per_minute 30"},
		{"env hour beats job", with("X_RATE_PER_HOUR", "500"), "", Limits{PerHour: 900}, Limits{PerMinute: 60, PerHour: 500}, false,
			"X_RATE_PER_HOUR=500 overrides the job's rate_per_hour 900"},
		{"env equal to job: no note", with("X_RATE_PER_MINUTE", "30"), "", Limits{PerMinute: 30}, Limits{PerMinute: 30}, false, ""},
		{"auto without key: sandbox default", map[string]string{}, "auto", Limits{}, Limits{PerMinute: 6000}, true, ""},
		{"always: sandbox, job rate", account, "always", Limits{PerMinute: 100}, Limits{PerMinute: 100}, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Resolve(spec(tc.env, tc.sandbox, tc.job))
			if err != nil {
				t.Fatal(err)
			}
			if c.Rate != tc.want || c.Sandbox != tc.sandbx {
				t.Fatalf("rate %+v sandbox %v, want %+v %v", c.Rate, c.Sandbox, tc.want, tc.sandbx)
			}
			notes := strings.Join(c.Notes, "\n")
			if (tc.note == "") != (notes == "") || !strings.Contains(notes, tc.note) {
				t.Fatalf("notes %q, want %q", notes, tc.note)
			}
			if !c.Sandbox && (c.Key.Reveal() != "k" || c.Account != "c" || c.BaseURL != "https://h") {
				t.Fatalf("account %+v", c)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env     map[string]string
		sandbox string
		job     Limits
		want    string
	}{
		{map[string]string{}, "never", Limits{}, "X_API_KEY is not set (the job says sandbox: never)"},
		{map[string]string{"X_API_KEY": "k"}, "", Limits{}, "X_API_KEY is set but X_COMPANY_ID is not: set it to your inFlow company id"},
		{map[string]string{}, "sometimes", Limits{}, `sandbox "sometimes" is not known`},
		{map[string]string{"X_RATE_PER_MINUTE": "fast"}, "", Limits{}, `X_RATE_PER_MINUTE="fast" is not a non-negative integer`},
		{map[string]string{}, "", Limits{PerMinute: -1}, "rate_per_minute must not be negative"},
	} {
		_, err := Resolve(spec(tc.env, tc.sandbox, tc.job))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %q: %v, want %q", tc.env, tc.sandbox, err, tc.want)
		}
	}
	c, err := Resolve(spec(map[string]string{}, "", Limits{}))
	if err != nil || c.Why != "X_API_KEY is not set" || c.Mode != SandboxAuto {
		t.Fatalf("%+v %v", c, err)
	}
}
