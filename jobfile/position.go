package jobfile

// Position returns the line and column in the job file of the setting at
// path ("source.path", "mapping.price.from"), or of its closest enclosing
// section that the file has; 0, 0 when none is found. Callers use it to
// place errors found after loading, such as a source file that is missing.
func (j *Job) Position(path string) (line, column int) { return j.position(path) }
