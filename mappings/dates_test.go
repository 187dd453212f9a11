package mappings

import "testing"

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
