package mappings

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestImpossibleDate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"2026-02-30", "there is no 30 February 2026 (February 2026 has 28 days): check the day and the month"},
		{"31/02/2026", "there is no 31 February 2026 (February 2026 has 28 days): check the day and the month"},
		{"2024-02-30", "there is no 30 February 2024 (February 2024 has 29 days): check the day and the month"},
		{"31.04.2026", "there is no 31 April 2026 (April 2026 has 30 days): check the day and the month"},
		{"2026-02-30T10:00:00Z", "there is no 30 February 2026 (February 2026 has 28 days): check the day and the month"},
		{"2024-02-29", ""}, // exists: the layout is what is wrong
		{"02/30/2026", "there is no 30 February 2026 (February 2026 has 28 days): check the day and the month"},
		{"13/13/2026", ""}, // no month 13 either way: a layout problem
		{"12/31/2026", ""},
		{"soon", ""},
		{"2026-13-01", ""},
	} {
		if got := impossibleDate(tc.in); got != tc.want {
			t.Errorf("impossibleDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestReadISOMatchesParseISO checks readISO against parseISO, which it
// shortcuts: every text readISO accepts, parseISO reads as the same
// instant in every zone and as the same date; and the usual shapes are
// accepted, so that the shortcut is taken.
func TestReadISOMatchesParseISO(t *testing.T) {
	t.Parallel()
	var locs []*time.Location
	for _, name := range []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	locs = append(locs, time.FixedZone("", -9000))
	pick := func(rng *rand.Rand, l ...string) string { return l[rng.IntN(len(l))] }
	rng := rand.New(rand.NewPCG(3, 14))
	usual := []string{
		"2024-03-05", "2024-03-05T10:20:30Z", "2024-03-05t10:20:30z", "2024-03-05 10:20", "2024-03-05T10:20:30.123456789-05:30",
		"2024-02-29", "2000-02-29", "0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59-23:59", "2024-03-10T02:30:00",
		"2024-11-03T01:30:00", "2024-03-05T10:20Z", "2024-03-05T10:20+01:00", "2024-03-05T10:20:30.5", "2024-03-05 10:20:30",
	}
	texts := append([]string{"2023-02-29", "1900-02-29", "2000-02-29", "0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59-23:59",
		"2024-03-10T02:30:00", "2024-11-03T01:30:00", "2024-03-05T10:20:30.", "2024-03-05T10:20:30.1234567891Z",
		"2024-03-05T10:20:30+24:00", "2024-03-05T10:20:30+05:60", "2024-03-05T10:20:30,5Z", "2024-03-05T1:20:30",
		"2024-3-05", "+024-03-05", "2024-03-05T10:20:30 Z", "2024-03-05T10:20:60", "2024-03-05T10:60", "2024-03-05T24:00",
		"2024-03-05T10:20Z", "2024-03-05T10:20+01:00", "2024-03-05T10:20:30+0100", "2024-03-05T10:20:30+01", "2024-03-05X10:20",
		"2024-03-05T10:20:3", "2024-03-05T10:20:30.5", "２０２４-03-05", "2024-00-10", "2024-13-10", "2024-04-31", "2024-04-00",
	}, usual...)
	for range 20000 {
		s := fmt.Sprintf("%04d-%s-%s", rng.IntN(10000), pick(rng, "01", "02", "04", "12", "00", "13", "1"), pick(rng, "01", "28", "29", "30", "31", "32", "00"))
		if rng.IntN(5) > 0 {
			s += pick(rng, "T", "t", " ", "_") + pick(rng, "00", "09", "23", "24", "7") + ":" + pick(rng, "00", "59", "60")
			if rng.IntN(4) > 0 {
				s += ":" + pick(rng, "00", "30", "59", "60", "5")
				if rng.IntN(2) > 0 {
					s += pick(rng, ".", ",") + strings.Repeat(pick(rng, "0", "1", "9"), rng.IntN(12))
				}
			}
			s += pick(rng, "", "Z", "z", "+00:00", "-00:00", "+05:30", "-12:45", "+23:59", "+24:00", "-07:60", "+0530", "+05", " +01:00", "Q")
		}
		texts = append(texts, s)
	}
	accepted := 0
	for _, s := range texts {
		p, ok := readISO(s)
		if !ok {
			continue
		}
		accepted++
		for _, loc := range locs {
			want, ok := parseISO(s, loc)
			if !ok {
				t.Fatalf("readISO accepts %q, parseISO refuses it", s)
			}
			if got := p.utc(loc); got != want.UTC() {
				t.Fatalf("%q in %s: readISO %v, parseISO %v", s, loc, got, want.UTC())
			}
		}
		want, _ := parseISO(s, time.UTC)
		if got := p.date(); got != midnight(want) {
			t.Fatalf("%q as a date: readISO %v, parseISO %v", s, got, midnight(want))
		}
	}
	if accepted < 1500 {
		t.Fatalf("readISO accepted only %d texts: the test checks too little", accepted)
	}
	for _, s := range usual {
		if _, ok := readISO(s); !ok {
			t.Errorf("readISO refuses %q, a usual shape", s)
		}
	}
}

func FuzzReadISO(f *testing.F) {
	for _, s := range []string{"2024-03-05", "2024-03-05T10:20:30Z", "2024-03-05 10:20", "2024-03-05T10:20:30.123456789-05:30",
		"2024-02-30", "2024-03-05T24:00", "2024-03-05T10:20:30+24:00", "0000-01-01T00:00:00+01:00"} {
		f.Add(s)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := readISO(s)
		if !ok {
			return
		}
		for _, loc := range []*time.Location{time.UTC, ny} {
			want, ok := parseISO(s, loc)
			if !ok {
				t.Fatalf("readISO accepts %q, parseISO refuses it", s)
			}
			if got := p.utc(loc); got != want.UTC() {
				t.Fatalf("%q in %s: readISO %v, parseISO %v", s, loc, got, want.UTC())
			}
			if loc == time.UTC && p.date() != midnight(want) {
				t.Fatalf("%q as a date: readISO %v, parseISO %v", s, p.date(), midnight(want))
			}
		}
	})
}
