package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/etl-dev/etl/internal/emulator"
	// The emulators register themselves for `etl sandbox NAME`.
	_ "github.com/etl-dev/etl/goflow/sandbox"
	_ "github.com/etl-dev/etl/inflow/sandbox"
	_ "github.com/etl-dev/etl/inventora/sandbox"
)

// defaultSandbox is what `etl sandbox` serves without a name.
const defaultSandbox = "inflow"

func newSandboxCmd() *cobra.Command {
	var (
		addr, seedPath, faults, account, key string
		rate, rateHour                       int
	)
	cmd := &cobra.Command{
		Use:   "sandbox [NAME]",
		Short: "Run a local API emulator (inflow by default)",
		Long: `Sandbox serves an in-memory emulator of an API etl connects to, for trying
jobs without an account and for tests, and prints the environment to point
etl at it. NAME is one of: ` + strings.Join(emulator.Names(), ", ") + ` (default ` + defaultSandbox + `).

` + emulator.FaultsHelp,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := defaultSandbox
			if len(args) == 1 {
				name = args[0]
			}
			spec, ok := emulator.Lookup(name)
			if !ok {
				return withCode(exitJobInvalid, fmt.Errorf("no emulator %q: use one of %s", name, strings.Join(emulator.Names(), ", ")))
			}
			if !cmd.Flags().Changed("rate") {
				rate = spec.DefaultRatePerMinute
			}
			if rate < 0 || rateHour < 0 {
				return withCode(exitJobInvalid, errors.New("--rate and --rate-hour must not be negative"))
			}
			fs, err := emulator.ParseFaults(faults)
			if err != nil {
				return withCode(exitJobInvalid, err)
			}
			inst, err := spec.New(emulator.Config{Faults: fs, RatePerMinute: rate, RatePerHour: rateHour,
				SeedPath: seedPath, Account: account, Key: key})
			if err != nil {
				return withCode(exitJobInvalid, err)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return withCode(exitFailed, err)
			}
			hs := &http.Server{Handler: inst.Handler(), ReadHeaderTimeout: 10 * time.Second}
			printSandboxEnv(cmd, spec, inst, ln.Addr().String(), rate, rateHour)
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
	fl.StringVar(&seedPath, "seed", "", "JSON seed file (default: the emulator's bundled sample data)")
	fl.IntVar(&rate, "rate", 60, "requests per minute before answering 429 (0: unlimited; default: the API's documented limit)")
	fl.IntVar(&rateHour, "rate-hour", 0, "optional second limit, requests per hour (0: off)")
	fl.StringVar(&faults, "faults", "", "fault injection, e.g. error=0.05,drop=0.05,latency=50ms,429=0.05,lost=0.05")
	fl.StringVar(&account, "account", "", "account id clients must use (inflow: the company ID; default: the seed's)")
	fl.StringVar(&account, "company", "", "the same as --account (inflow's company ID)")
	fl.StringVar(&key, "key", "", "API key clients must send (default: the emulator's, e.g. sandbox-key)")
	return cmd
}

// printSandboxEnv prints every variable a user needs to point etl at the
// emulator, the rate included, so a job's limiter matches the emulator's.
// The output is a sourceable shell file: `export K=V` lines and comments
// starting with "# " (`etl sandbox > sandbox.env &` then `. ./sandbox.env`).
// A variable the API does not have (an empty name) is not printed.
func printSandboxEnv(cmd *cobra.Command, spec emulator.Spec, inst emulator.Instance, addr string, rate, rateHour int) {
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "# %s sandbox (%s) listening on %s; point etl at it with:\n", spec.Name, spec.Title, addr)
	env := spec.Env
	export := func(name, value string) {
		if name != "" {
			fmt.Fprintf(out, "export %s=%s\n", name, value)
		}
	}
	export(env.BaseURL, "http://"+addr+spec.BasePath)
	if env.Account != "" {
		export(env.Account, inst.Account())
	}
	export(env.Key, inst.Key())
	if rate > 0 {
		export(env.RatePerMinute, fmt.Sprint(rate))
	}
	if rateHour > 0 {
		export(env.RatePerHour, fmt.Sprint(rateHour))
	}
	limit := "unlimited"
	if rate > 0 {
		limit = fmt.Sprintf("%d requests/minute", rate)
	}
	if rateHour > 0 {
		limit += fmt.Sprintf(", %d requests/hour", rateHour)
	}
	fmt.Fprintf(out, "# rate limit: %s; Ctrl-C stops it\n", limit)
	if f, ok := out.(interface{ Sync() error }); ok {
		_ = f.Sync()
	}
}
