package inflow

import "github.com/etl-dev/etl/internal/apikit"

// Stats counts a Client's traffic, for reports and dry-run plans (see
// apikit.Stats): requests sent (retries and the transport's own resends
// included), retries, 429s, failed calls, time waited, requests by method.
// Counts are since New or the last ResetStats.
type Stats = apikit.Stats
