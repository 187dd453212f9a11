// Package connect opens a Goflow connection for the source and the sink:
// to the account the environment names, or to the embedded emulator, by
// the kit's one rule (apikit.Resolve). It is apart from package goflow so
// that the client never links the emulator.
package connect

import (
	"fmt"
	"os"
	"time"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/pipeline"
)

// SandboxMultiplier scales the documented limits for the embedded
// emulator (and its client) unless GOFLOW_RATE_MULTIPLIER says otherwise,
// so example jobs finish in seconds.
const SandboxMultiplier = 100

// Connection is an open client, and the emulator behind it in sandbox
// mode.
type Connection struct {
	Client *goflow.Client
	// Emulator is the embedded emulator, nil for a real account.
	Emulator *sandbox.Server
	// Sandbox and Why tell whether and why the emulator is used.
	Sandbox bool
	Why     string
	// Account names the account for reports (never the token).
	Account string
	// Notes are for the run report.
	Notes []string
}

// Options of Open.
type Options struct {
	// Mode is the job's sandbox setting: auto (or ""), never, always.
	Mode string
	// Env gives the registry (env.APIs) and the logger.
	Env pipeline.Env
	// Observer sees every request (the journal's request log).
	Observer apikit.Observer
	// Getenv reads the environment (os.Getenv when nil).
	Getenv func(string) string
	// Sandbox adjusts the embedded emulator's options (tests).
	Sandbox func(*sandbox.Options)
}

// Open resolves and opens the connection. It sends no request.
func Open(o Options) (*Connection, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	res, err := apikit.Resolve(apikit.ConnectSpec{
		Title:   "Goflow",
		Env:     apikit.EnvNames{Key: goflow.EnvToken, BaseURL: goflow.EnvBaseURL},
		Sandbox: o.Mode,
		Getenv:  getenv,
	})
	if err != nil {
		return nil, fmt.Errorf("goflow: %w", err)
	}
	cfg, err := goflow.ConfigFromEnv(getenv)
	if err != nil {
		return nil, fmt.Errorf("goflow: %w", err)
	}
	reg := o.Env.APIs.Or()
	cfg.Registry, cfg.Logger, cfg.Observer = reg, o.Env.Logger, o.Observer
	conn := &Connection{Sandbox: res.Sandbox, Why: res.Why, Notes: res.Notes}
	if res.Sandbox {
		mult := cfg.RateMultiplier
		if mult == 0 {
			mult = SandboxMultiplier
			cfg.RateMultiplier = mult
		}
		so := sandbox.Options{Clock: reg.Clock(), RateMultiplier: mult, ReportQueue: 500 * time.Millisecond, ReportWork: time.Second}
		if o.Sandbox != nil {
			o.Sandbox(&so)
		}
		srv, err := sandbox.Start(so)
		if err != nil {
			return nil, fmt.Errorf("goflow: starting the emulator: %w", err)
		}
		conn.Emulator = srv
		cfg.BaseURL, cfg.Token, cfg.BetaContact, cfg.Subdomain = srv.URL(), apikit.NewSecret(srv.Token()), sandbox.SandboxBetaContact, "sandbox"
		conn.Account = "the embedded Goflow emulator (sample company, in memory)"
		msg := fmt.Sprintf("goflow: %s, so the data is the built-in emulator's sample company, not a Goflow account (set sandbox: never to forbid this)", res.Why)
		o.Env.Log().Warn(msg)
		conn.Notes = append(conn.Notes, msg)
	} else {
		cfg.Token = res.Key
		if res.BaseURL != "" {
			cfg.BaseURL = res.BaseURL
		}
	}
	client, err := goflow.New(cfg)
	if err != nil {
		conn.Close()
		return nil, err
	}
	conn.Client = client
	if !res.Sandbox {
		conn.Account = "Goflow account at " + client.BaseURL()
	}
	return conn, nil
}

// Close stops the embedded emulator.
func (c *Connection) Close() {
	if c != nil && c.Emulator != nil {
		c.Emulator.Close()
		c.Emulator = nil
	}
}
