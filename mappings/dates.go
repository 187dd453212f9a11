package mappings

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// impossibleDate says why s, written like a date (year-month-day, or
// day/month/year or month/day/year with / . or -), names no day of the
// calendar: "there is no 30 February 2026 (February 2026 has 28 days)". It
// returns "" when s is not such a date or the date exists: then the layout
// is what is wrong, not the date.
func impossibleDate(s string) string {
	datePart, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	datePart, _, _ = strings.Cut(datePart, "T")
	var parts []string
	for _, sep := range []string{"-", "/", "."} {
		if strings.Count(datePart, sep) == 2 {
			parts = strings.Split(datePart, sep)
			break
		}
	}
	if len(parts) != 3 {
		return ""
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || p == "" || len(p) > 4 || v < 0 {
			return ""
		}
		n[i] = v
	}
	type order struct{ y, m, d int }
	orders := []order{{2, 1, 0}, {2, 0, 1}} // d/m/y, then m/d/y
	if len(parts[0]) == 4 {
		orders = []order{{0, 1, 2}} // y-m-d
	} else if len(parts[2]) != 4 && len(parts[2]) != 2 {
		return ""
	}
	for _, o := range orders {
		y, m, d := n[o.y], n[o.m], n[o.d]
		if len(parts[o.y]) == 2 {
			y += 2000
			if y >= 2069 {
				y -= 100
			}
		}
		if m < 1 || m > 12 || d < 1 || d > 31 {
			continue
		}
		days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if d <= days {
			return "" // a real date in this order: not an impossible one
		}
		return fmt.Sprintf("there is no %d %s %d (%s %d has %d days): check the day and the month",
			d, time.Month(m), y, time.Month(m), y, days)
	}
	return ""
}
