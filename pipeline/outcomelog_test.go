package pipeline

import "testing"

func TestOutcomeLogKeepsOnlyStretchesWithOtherOutcomes(t *testing.T) {
	var l outcomeLog
	const n = 10 * outcomeChunk
	for seq := range int64(n) {
		l.add()
		l.set(seq, Written)
	}
	if len(l.chunks) != 0 {
		t.Fatalf("%d stretches kept for rows all written", len(l.chunks))
	}
	set := map[int64]Outcome{0: Rejected, outcomeChunk - 1: Created, 3*outcomeChunk + 7: Unknown, n - 1: Skipped}
	for seq, o := range set {
		l.set(seq, o)
	}
	if len(l.chunks) != 3 {
		t.Errorf("%d stretches kept, want 3", len(l.chunks))
	}
	for seq := range int64(n) {
		want, ok := set[seq]
		if !ok {
			want = Written
		}
		if got := l.get(seq); got != want {
			t.Fatalf("row %d: %v, want %v", seq, got, want)
		}
	}
	if l.len() != n {
		t.Errorf("len %d, want %d", l.len(), n)
	}
}
