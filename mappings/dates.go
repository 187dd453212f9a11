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

// isoTime is an ISO 8601 date or timestamp as written.
type isoTime struct {
	year, month, day, hour, min, sec, nsec int
	offset                                 int  // seconds east of UTC
	zoned                                  bool // Z or an offset was written
}

// readISO reads the usual shapes of ISO 8601 text without time.Parse,
// which costs several times more: 2006-01-02, alone or followed by T, t or
// a space and 15:04 or 15:04:05 (with a fraction of one to nine digits
// after a point), then optionally Z, z or ±hh:mm, every field in range.
// ok is false for anything else, which parseISO then reads or refuses as
// before; what readISO accepts, parseISO reads as the same date and
// instant (TestReadISOMatchesParseISO).
func readISO(s string) (p isoTime, ok bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return p, false
	}
	y, ok1 := fixedDigits(s[0:4])
	mo, ok2 := fixedDigits(s[5:7])
	d, ok3 := fixedDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) {
		return p, false
	}
	p.year, p.month, p.day = y, mo, d
	if len(s) == 10 {
		return p, true
	}
	if len(s) < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' {
		return p, false
	}
	h, ok1 := fixedDigits(s[11:13])
	mi, ok2 := fixedDigits(s[14:16])
	if !ok1 || !ok2 || h > 23 || mi > 59 {
		return p, false
	}
	p.hour, p.min = h, mi
	rest := s[16:]
	if len(rest) >= 3 && rest[0] == ':' {
		sec, ok := fixedDigits(rest[1:3])
		if !ok || sec > 59 {
			return p, false
		}
		p.sec, rest = sec, rest[3:]
		if len(rest) >= 2 && rest[0] == '.' {
			n := 1
			for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
				n++
			}
			if n == 1 || n > 10 {
				return p, false
			}
			ns, _ := fixedDigits(rest[1:n])
			for k := n - 1; k < 9; k++ {
				ns *= 10
			}
			p.nsec, rest = ns, rest[n:]
		}
	}
	switch {
	case rest == "":
	case rest == "Z" || rest == "z":
		p.zoned = true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := fixedDigits(rest[1:3])
		om, ok2 := fixedDigits(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return p, false
		}
		p.zoned, p.offset = true, oh*3600+om*60
		if rest[0] == '-' {
			p.offset = -p.offset
		}
	default:
		return p, false
	}
	return p, true
}

// utc is the instant, read in loc when no offset was written.
func (p isoTime) utc(loc *time.Location) time.Time {
	if !p.zoned {
		return time.Date(p.year, time.Month(p.month), p.day, p.hour, p.min, p.sec, p.nsec, loc).UTC()
	}
	t := time.Date(p.year, time.Month(p.month), p.day, p.hour, p.min, p.sec, p.nsec, time.UTC)
	if p.offset != 0 {
		t = t.Add(-time.Duration(p.offset) * time.Second)
	}
	return t
}

// date is the day as written, at midnight UTC.
func (p isoTime) date() time.Time {
	return time.Date(p.year, time.Month(p.month), p.day, 0, 0, 0, 0, time.UTC)
}

// fixedDigits reads s, which must be all ASCII digits.
func fixedDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

var monthDays = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// daysIn is the number of days of a month (1-12) of the proleptic
// Gregorian calendar, as time uses.
func daysIn(month, year int) int {
	if month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		return 29
	}
	return monthDays[month]
}
