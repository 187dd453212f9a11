package pipeline

import (
	"errors"
	"fmt"
	"strings"

	"github.com/etl-dev/etl/internal/suggest"
)

// Validator is implemented by source and sink configs that can check their
// settings without opening anything: no network, no files, fast. The job
// loader calls Validate after decoding the section, before any data moves,
// and reports each SettingError at its setting's place in the job file;
// Open calls it too (configs built in code skip the loader) and then uses
// the values without checking them again.
//
// Validate reports every bad setting, not just the first: it returns nil,
// a *SettingError, SettingErrors, or any other error for a mistake that
// belongs to no one setting.
type Validator interface {
	Validate() error
}

// SettingError is one bad setting of a component's section.
type SettingError struct {
	// Setting is the setting's path inside the section, as the job file
	// writes it: "delimiter", "stock.mode", "match[1]".
	Setting string
	// Message says what is wrong and names the value, e.g. `mode "upsrt"
	// is not one of create, update, upsert`.
	Message string
	// Hint is the closest valid value or what would fix it, e.g. `did you
	// mean "upsert"?`; may be empty.
	Hint string
}

func (e *SettingError) Error() string {
	if e.Hint == "" {
		return e.Message
	}
	return e.Message + " (" + e.Hint + ")"
}

// SettingErrors are every bad setting of a section, in the order found.
type SettingErrors []*SettingError

func (es SettingErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "; ")
}

// Err returns nil when there are no errors, so Validate can end with
// `return errs.Err()`.
func (es SettingErrors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// Add appends e unless it is nil, so that `errs.Add(Enum(...))` reads well.
func (es *SettingErrors) Add(e *SettingError) {
	if e != nil {
		*es = append(*es, e)
	}
}

// Enum checks that value is one of valid and returns nil when it is, else
// a SettingError naming the value, the valid ones and the closest of them.
func Enum(setting, value string, valid ...string) *SettingError {
	for _, v := range valid {
		if v == value {
			return nil
		}
	}
	return &SettingError{
		Setting: setting,
		Message: fmt.Sprintf("%s %q is not one of %s", setting, value, strings.Join(valid, ", ")),
		Hint:    suggest.Hint(value, valid),
	}
}

// SettingErrorsOf returns the setting errors err holds: those of a
// SettingErrors or a single *SettingError, else nil.
func SettingErrorsOf(err error) SettingErrors {
	var es SettingErrors
	if errors.As(err, &es) {
		return es
	}
	var e *SettingError
	if errors.As(err, &e) {
		return SettingErrors{e}
	}
	return nil
}

// Validate calls cfg's Validate when it has one.
func Validate(cfg any) error {
	if v, ok := cfg.(Validator); ok {
		return v.Validate()
	}
	return nil
}
