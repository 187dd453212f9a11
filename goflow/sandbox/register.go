package sandbox

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/emulator"
)

// SandboxBetaContact is the X-Beta-Contact `etl sandbox goflow` prints.
const SandboxBetaContact = "sandbox@example.com"

func init() {
	emulator.Register(emulator.Spec{
		Name:  "goflow",
		Title: "Goflow API",
		Help: `Serves an in-memory emulator of the Goflow API (/v1): orders (with splits),
purchase orders (create), receipts, products (create, pricing PATCH),
inventory adjustments (absolute and relative), transfers, warehouses, vendors,
stores, listings and the inventory counts report (queued, processing,
completed, file_url redirecting to a second loopback "download host", daily
record quotas). {data, next} paging with a fixed page size, filters checked
per endpoint, the documented per-endpoint limits (scaled by --rate/60), 429
with Retry-After and retry_after_seconds, 422 bodies. Every request needs
Authorization: Bearer and X-Beta-Contact. --seed takes a JSON file such as
{"products": 500, "orders": 10000, "page_size": 100}.`,
		// Goflow has no account id variable: the emulator's beta contact is
		// printed in its place, as clients need it on every request.
		Env:                  apikit.EnvNames{Key: "GOFLOW_API_TOKEN", Account: "GOFLOW_BETA_CONTACT", BaseURL: "GOFLOW_BASE_URL"},
		BasePath:             "/v1",
		DefaultRatePerMinute: 60,
		New: func(c emulator.Config) (emulator.Instance, error) {
			opts := Options{Token: c.Key, Faults: c.Faults, Clock: c.Clock}
			switch {
			case c.RatePerMinute > 0:
				opts.RateMultiplier = float64(c.RatePerMinute) / 60
			default:
				opts.NoLimits = true
			}
			if c.SeedPath != "" {
				data, err := os.ReadFile(c.SeedPath)
				if err != nil {
					return nil, err
				}
				var seed struct {
					Company
					PageSize int `json:"page_size"`
				}
				if err := json.Unmarshal(data, &seed); err != nil {
					return nil, fmt.Errorf("%s: %w (keys: warehouses, vendors, stores, products, orders, purchase_orders, receipts, adjustments, transfers, page_size)", c.SeedPath, err)
				}
				opts.Company, opts.PageSize = seed.Company, seed.PageSize
			}
			s, err := New(opts)
			if err != nil {
				return nil, err
			}
			dl, err := emulator.Listen(s.DownloadHandler())
			if err != nil {
				return nil, err
			}
			s.SetDownloadURL(dl.URL)
			return instance{s}, nil
		},
	})
}

type instance struct{ *Server }

// Account is the beta contact to send (printed as GOFLOW_BETA_CONTACT).
func (instance) Account() string { return SandboxBetaContact }

// Key is the bearer token.
func (i instance) Key() string { return i.Token() }
