package pipeline

// outcomeLog is every row's outcome by Row.Seq, so that Close can change
// the outcome of rows of past batches (RowErrors). It takes a byte a row,
// but only for the stretches of rows where some outcome is not Written
// (the zero Outcome): a file conversion whose rows are all written keeps
// next to nothing however long the file is.
type outcomeLog struct {
	n      int64 // rows logged
	chunks map[int64]*[outcomeChunk]uint8
}

// outcomeChunk is the number of rows of a stretch.
const outcomeChunk = 4096

// add logs one more row, Written for now.
func (l *outcomeLog) add() { l.n++ }

// len is the number of rows logged.
func (l *outcomeLog) len() int64 { return l.n }

// set records row seq's outcome; seq has been added.
func (l *outcomeLog) set(seq int64, o Outcome) {
	c := l.chunks[seq/outcomeChunk]
	if c == nil {
		if o == Written {
			return
		}
		if l.chunks == nil {
			l.chunks = map[int64]*[outcomeChunk]uint8{}
		}
		c = new([outcomeChunk]uint8)
		l.chunks[seq/outcomeChunk] = c
	}
	c[seq%outcomeChunk] = uint8(o)
}

// get is row seq's outcome; seq has been added.
func (l *outcomeLog) get(seq int64) Outcome {
	if c := l.chunks[seq/outcomeChunk]; c != nil {
		return Outcome(c[seq%outcomeChunk])
	}
	return Written
}
