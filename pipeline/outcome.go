package pipeline

import "fmt"

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
	// Unknown is a row whose write was sent and whose answer never came
	// (a lost reply, a run cancelled while the request was out): it may or
	// may not have reached the destination. `etl run --resume` finds out.
	Unknown
	// NotProcessed is a row that was read but never sent, because the run
	// was cancelled first.
	NotProcessed
)

var outcomeNames = [...]string{"written", "created", "updated", "unchanged", "skipped", "rejected", "unknown", "not processed"}

func (o Outcome) String() string {
	if o >= 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Outcomes lists every outcome in order, for reports.
func Outcomes() []Outcome {
	return []Outcome{Written, Created, Updated, Unchanged, Skipped, Rejected, Unknown, NotProcessed}
}

// decided reports whether a sink's Write has settled a row with this
// outcome (the destination answered, or the row needed no write, or its
// request is out), so that a later failure of the batch does not change it.
func (o Outcome) decided() bool {
	return o == Created || o == Updated || o == Unchanged || o == Skipped || o == Unknown
}
