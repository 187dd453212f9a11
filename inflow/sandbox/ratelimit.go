package sandbox

import (
	"fmt"
	"net/http"

	"github.com/etl-dev/etl/internal/emulator"
)

// rateHeaders sends the rate-limit headers public clients have seen from
// inFlow: "X-inflow-api-rate-limit: used/limit" for the minute window and
// "X-RateLimit-Limit: used/limit" for the hour window. They describe the
// state before this request is counted. The limit itself (a token bucket of
// RatePerMinute holding RateBurst, and a bucket of RatePerHour) is the
// emulator harness's, on the emulator's clock.
func rateHeaders(h http.Header, st emulator.RateState) {
	if st.MinuteLimit > 0 {
		h.Set("X-inflow-api-rate-limit", fmt.Sprintf("%d/%d", st.MinuteUsed, st.MinuteLimit))
	}
	if st.HourLimit > 0 {
		h.Set("X-RateLimit-Limit", fmt.Sprintf("%d/%d", st.HourUsed, st.HourLimit))
	}
}
