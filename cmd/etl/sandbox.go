package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/etl-dev/etl/inflow/sandbox"
)

func newSandboxCmd() *cobra.Command {
	var (
		addr, seedPath, faults, company, key string
		rate, rateHour                       int
	)
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run a local inFlow Cloud API emulator",
		Long: `Sandbox serves an in-memory emulator of the inFlow Cloud API (version
2025-06-24) seeded with a small sample company, for trying jobs without an
account and for tests. It prints the environment to point etl at it.

--faults injects trouble, as a comma-separated list:
  error=0.05     answer 5% of requests with 500 or 503
  drop=0.01      close 1% of connections without an answer
  latency=50ms   add latency to every response`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := sandbox.Options{CompanyID: company, APIKey: key, RatePerMinute: rate, RatePerHour: rateHour}
			if seedPath != "" {
				f, err := os.Open(seedPath)
				if err != nil {
					return withCode(exitJobInvalid, err)
				}
				seed, err := sandbox.LoadSeed(f)
				f.Close()
				if err != nil {
					return withCode(exitJobInvalid, fmt.Errorf("%s: %w", seedPath, err))
				}
				opts.Seed = seed
			}
			fs, err := parseFaults(faults)
			if err != nil {
				return withCode(exitJobInvalid, err)
			}
			opts.Faults = fs
			srv, err := sandbox.New(opts)
			if err != nil {
				return withCode(exitJobInvalid, err)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return withCode(exitFailed, err)
			}
			hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "inFlow sandbox listening; point etl at it with:\n")
			fmt.Fprintf(out, "export INFLOW_BASE_URL=http://%s\n", ln.Addr())
			fmt.Fprintf(out, "export INFLOW_COMPANY_ID=%s\n", srv.CompanyID())
			fmt.Fprintf(out, "export INFLOW_API_KEY=%s\n", srv.APIKey())
			fmt.Fprintf(out, "rate limit: %d requests/minute; Ctrl-C stops it\n", rate)
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			select {
			case <-cmd.Context().Done():
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				return hs.Shutdown(ctx)
			case err := <-errc:
				if errors.Is(err, http.ErrServerClosed) {
					return nil
				}
				return withCode(exitFailed, err)
			}
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	fl.StringVar(&seedPath, "seed", "", "JSON seed file (default: the bundled sample company)")
	fl.IntVar(&rate, "rate", 60, "requests per minute before answering 429 (0: unlimited)")
	fl.IntVar(&rateHour, "rate-hour", 0, "optional second limit, requests per hour (0: off)")
	fl.StringVar(&faults, "faults", "", "fault injection, e.g. error=0.05,drop=0.01,latency=50ms")
	fl.StringVar(&company, "company", "", "company ID (default: the seed's)")
	fl.StringVar(&key, "key", "", "API key clients must send (default: sandbox-key)")
	return cmd
}

func parseFaults(s string) (sandbox.Faults, error) {
	var f sandbox.Faults
	if s == "" {
		return f, nil
	}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return f, fmt.Errorf("--faults: %q is not key=value (error=0.05, drop=0.01, latency=50ms)", part)
		}
		var err error
		switch k {
		case "error":
			f.ErrorRate, err = parseShare(v)
		case "drop":
			f.DropRate, err = parseShare(v)
		case "latency":
			f.Latency, err = time.ParseDuration(v)
		default:
			return f, fmt.Errorf("--faults: unknown fault %q: use error, drop or latency", k)
		}
		if err != nil {
			return f, fmt.Errorf("--faults %s: %w", k, err)
		}
	}
	return f, nil
}

func parseShare(v string) (float64, error) {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || x < 0 || x > 1 {
		return 0, fmt.Errorf("%q is not a share between 0 and 1", v)
	}
	return x, nil
}
