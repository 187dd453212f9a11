package pipeline

// Outcome is what became of one input row. Every row read ends in exactly
// one outcome.
type Outcome int

// The outcomes. Written is the zero value: file sinks write every row they
// are given.
const (
	Written Outcome = iota
	Created
	Updated
	Unchanged
	Skipped
	Rejected
)

var outcomeNames = [...]string{"written", "created", "updated", "unchanged", "skipped", "rejected"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "unknown"
}

// Outcomes lists every outcome in order, for reports.
func Outcomes() []Outcome {
	return []Outcome{Written, Created, Updated, Unchanged, Skipped, Rejected}
}
