package inventora

import (
	"fmt"
	"log/slog"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/inventora/sandbox"
)

// SandboxRatePerMinute is the pace against the embedded emulator, which
// has no limit of its own: fast, but still paced.
const SandboxRatePerMinute = 6000

// ConnectOptions are a job's connection settings.
type ConnectOptions struct {
	// Component names who connects in messages: "inventora source".
	Component string
	// Sandbox is the job's sandbox setting: auto (or ""), never, always.
	Sandbox string
	// RatePerMinute is the job's rate_per_minute (0: unset);
	// INVENTORA_RATE_PER_MINUTE beats it.
	RatePerMinute int
	// Registry is the process's kit registry (pipeline.Env.APIs).
	Registry *apikit.Registry
	// Logger receives diagnostics.
	Logger *slog.Logger
	// Getenv reads the environment; os.Getenv when nil.
	Getenv func(string) string
	// Observer sees every request (a sink's request log).
	Observer apikit.Observer
}

// Connection is a connected client and, in sandbox mode, the embedded
// emulator it talks to.
type Connection struct {
	Client *Client
	// Embedded is the in-process emulator of sandbox mode; nil otherwise.
	// Close it when done.
	Embedded *sandbox.Running
	// Account describes the account as a person recognises it.
	Account string
	// Notes are facts for the run report (sandbox use, rate override).
	Notes []string
}

// Close stops the embedded emulator, if any.
func (c *Connection) Close() {
	if c.Embedded != nil {
		c.Embedded.Close()
		c.Embedded = nil
	}
}

// Connect resolves credentials, base URL, sandbox mode and rate with the
// kit's one precedence (apikit.Resolve): the key and base URL only from the
// environment; sandbox auto uses the embedded emulator exactly when
// INVENTORA_API_KEY is unset; the environment's rate beats the job's.
func Connect(o ConnectOptions) (*Connection, error) {
	res, err := apikit.Resolve(apikit.ConnectSpec{
		Title:          "Inventora",
		Env:            Env,
		Sandbox:        o.Sandbox,
		Job:            apikit.Limits{PerMinute: o.RatePerMinute},
		Default:        apikit.Limits{PerMinute: DefaultRatePerMinute},
		SandboxDefault: apikit.Limits{PerMinute: SandboxRatePerMinute},
		Getenv:         o.Getenv,
	})
	if err != nil {
		return nil, err
	}
	conn := &Connection{Notes: res.Notes}
	cfg := Config{BaseURL: res.BaseURL, APIKey: res.Key, RatePerMinute: res.Rate.PerMinute, Registry: o.Registry, Logger: o.Logger, Observer: o.Observer}
	if res.Sandbox {
		emb, err := sandbox.Start(sandbox.Options{Clock: o.Registry.Or().Clock()})
		if err != nil {
			return nil, fmt.Errorf("starting the Inventora emulator: %w", err)
		}
		conn.Embedded = emb
		cfg.BaseURL, cfg.APIKey = emb.URL(), apikit.NewSecret(emb.APIKey())
		msg := fmt.Sprintf("%s: %s, so it uses the built-in emulator's sample account (in memory, gone when etl exits), not an Inventora account (set sandbox: never to forbid this)", o.Component, res.Why)
		if o.Logger != nil {
			o.Logger.Warn(msg)
		}
		conn.Notes = append(conn.Notes, msg)
		conn.Account = "the embedded Inventora emulator (sample account, in memory)"
	}
	c, err := New(cfg)
	if err != nil {
		conn.Close()
		return nil, err
	}
	conn.Client = c
	if conn.Account == "" {
		conn.Account = "Inventora at " + c.BaseURL()
	}
	return conn, nil
}
