package inflow

import (
	"net/http"

	"github.com/etl-dev/etl/internal/apikit"
)

// Limiter paces the requests of one inFlow account: the kit's limiter (see
// apikit.Limiter: a per-minute token bucket with one interval between
// releases, an optional sliding hourly window, pauses after a 429 or an
// exhausted X-RateLimit-Remaining, limits learnt from headers that only ever
// go down). Share one between every Client of an account: a Client built
// with Config.Registry takes the registry's limiter for its account.
type Limiter = apikit.Limiter

// ObserveLimits adjusts l from the rate-limit headers of an inFlow response:
//   - "X-inflow-api-rate-limit: N/60", seen from inFlow, lowers the
//     per-minute limit to 60 if it was higher;
//   - "X-RateLimit-Limit: N/1000", seen from inFlow and read by public
//     clients as an hourly window, turns on (or lowers) the hourly limit;
//   - X-RateLimit-Remaining: 0 pauses l until X-RateLimit-Reset
//     (apikit.Limiter.ObserveRemaining).
//
// The N of the first two is ambiguous (used or remaining), so only the
// limit is learnt; limits are only ever lowered. Every Client calls it on
// every answer.
func ObserveLimits(l *Limiter, h http.Header) {
	if n, ok := apikit.SlashLimit(h.Get("X-inflow-api-rate-limit")); ok {
		l.LowerPerMinute(n)
	}
	if n, ok := apikit.SlashLimit(h.Get("X-RateLimit-Limit")); ok {
		l.LowerPerHour(n)
	}
	l.ObserveRemaining(h)
}
