package mappings

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/invopop/jsonschema"
)

// NumberFormat says how numbers are written in text: the decimal separator
// and the thousands separator ("" for none). The zero value is the plain
// form etl reads by default: a point for decimals, no grouping (grouping
// characters can still be removed with strip).
type NumberFormat struct {
	Decimal   string
	Thousands string
}

// IsZero reports the default format.
func (f NumberFormat) IsZero() bool { return f.Decimal == "" && f.Thousands == "" }

// Sample writes 1234567.89 in the format, for messages: "1.234.567,89".
func (f NumberFormat) Sample() string {
	dec, th := f.Decimal, f.Thousands
	if dec == "" {
		dec = "."
	}
	switch th {
	case "":
		return "1234567" + dec + "89"
	case "\u00a0", "\u202f":
		th = " "
	}
	return "1" + th + "234" + th + "567" + dec + "89"
}

// NumberFormatter is implemented by source configs that declare how their
// numbers are written (`decimal_separator`, `thousands_separator`,
// `locale`): the format then applies to every integer, decimal and float
// field read from text that does not set its own.
type NumberFormatter interface {
	NumberFormat() NumberFormat
}

// locales maps the locale shorthands to their number formats, as their
// spreadsheet programs write them.
var locales = map[string]NumberFormat{
	"en-US": {".", ","}, "en-GB": {".", ","}, "en-CA": {".", ","}, "en-AU": {".", ","}, "en-IE": {".", ","},
	"en-NZ": {".", ","}, "en-IN": {".", ","}, "ja-JP": {".", ","}, "zh-CN": {".", ","}, "ko-KR": {".", ","},
	"de-DE": {",", "."}, "de-AT": {",", "."}, "nl-NL": {",", "."}, "nl-BE": {",", "."}, "it-IT": {",", "."},
	"es-ES": {",", "."}, "pt-BR": {",", "."}, "pt-PT": {",", " "}, "da-DK": {",", "."}, "id-ID": {",", "."},
	"tr-TR": {",", "."}, "el-GR": {",", "."},
	"fr-FR": {",", " "}, "fr-BE": {",", " "}, "fr-CA": {",", " "}, "sv-SE": {",", " "}, "nb-NO": {",", " "},
	"fi-FI": {",", " "}, "pl-PL": {",", " "}, "cs-CZ": {",", " "}, "ru-RU": {",", " "}, "uk-UA": {",", " "},
	"de-CH": {".", "'"}, "fr-CH": {".", "'"}, "it-CH": {".", "'"},
}

// LocaleNames lists the locale shorthands, sorted.
func LocaleNames() []string {
	names := make([]string, 0, len(locales))
	for n := range locales {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ParseNumberFormat combines the three settings as a job writes them:
// locale gives both separators, and decimal_separator and
// thousands_separator override it. setting names the key at fault in the
// error.
func ParseNumberFormat(locale, decimalSep, thousandsSep string) (f NumberFormat, setting string, err error) {
	if locale != "" {
		l, ok := lookupLocale(locale)
		if !ok {
			return f, "locale", fmt.Errorf("locale %q is not one etl knows: %s; or set decimal_separator and thousands_separator", locale, didYouMean(locale, LocaleNames(), "use one of"))
		}
		f = l
	}
	if decimalSep != "" {
		f.Decimal = decimalSep
	}
	if thousandsSep != "" {
		f.Thousands = thousandsSep
	}
	if f.Decimal != "" && f.Decimal != "." && f.Decimal != "," {
		return f, "decimal_separator", fmt.Errorf(`decimal_separator %q must be "." or ","`, f.Decimal)
	}
	if f.Thousands != "" {
		switch f.Thousands {
		case ".", ",", " ", "'", "’", "\u00a0", "\u202f", "_":
		case "space":
			f.Thousands = " "
		default:
			return f, "thousands_separator", fmt.Errorf(`thousands_separator %q must be one of ".", ",", " " (space), "'" or "_"`, f.Thousands)
		}
	}
	dec := f.Decimal
	if dec == "" {
		dec = "."
	}
	if f.Thousands == dec {
		return f, "thousands_separator", fmt.Errorf("thousands_separator %q is also the decimal separator: use another one, or leave it out", f.Thousands)
	}
	return f, "", nil
}

func lookupLocale(s string) (NumberFormat, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "-")
	for name, f := range locales {
		if strings.EqualFold(name, s) {
			return f, true
		}
	}
	return NumberFormat{}, false
}

// isSpaceSep reports the spaces that group thousands (a space, a no-break
// space, a narrow no-break space): French and Nordic exports use any.
func isSpaceSep(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' }

// canonical rewrites s, written in format f, as plain number text (digits,
// a point, a sign, an exponent), strictly: a thousands separator must sit
// between groups of three digits of the integer part, and only the
// declared separators may appear. It returns a message when s is not
// written in f.
func (f NumberFormat) canonical(s string) (string, string) {
	dec := '.'
	if f.Decimal != "" {
		dec, _ = utf8.DecodeRuneInString(f.Decimal)
	}
	var th rune
	if f.Thousands != "" {
		th, _ = utf8.DecodeRuneInString(f.Thousands)
	}
	isTh := func(r rune) bool {
		if th == 0 {
			return false
		}
		if isSpaceSep(th) {
			return isSpaceSep(r)
		}
		return r == th || (th == '\'' && r == '’') || (th == '’' && r == '\'')
	}
	var b strings.Builder
	b.Grow(len(s))
	group := -1 // digits since the last thousands separator; -1 before any
	digits := 0 // digits of the integer part
	point, exp := false, false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			if !point && !exp {
				digits++
				if group >= 0 {
					group++
				}
			}
		case r == dec && !point && !exp:
			if group >= 0 && group != 3 {
				return "", "a thousands separator must be followed by exactly three digits"
			}
			point = true
			b.WriteByte('.')
		case isTh(r) && !point && !exp:
			if digits == 0 || (group >= 0 && group != 3) || (group < 0 && digits > 3) {
				return "", "a thousands separator must sit between groups of three digits"
			}
			group = 0
		case (r == '-' || r == '+') && (i == 0 || exp && (s[i-1] == 'e' || s[i-1] == 'E')):
			b.WriteRune(r)
		case (r == 'e' || r == 'E') && digits > 0 && !exp:
			if group >= 0 && group != 3 {
				return "", "a thousands separator must be followed by exactly three digits"
			}
			exp = true
			b.WriteRune(r)
		case r == '.' || r == ',' || r == '\'' || isSpaceSep(r):
			if r == dec || isTh(r) {
				return "", fmt.Sprintf("%q appears after the decimal separator %q", string(r), string(dec))
			}
			return "", fmt.Sprintf("%q is neither the decimal separator %q nor the thousands separator%s", string(r), string(dec), f.thousandsText())
		default:
			b.WriteRune(r) // left for the number parser to refuse
		}
	}
	if group >= 0 && group != 3 && !point && !exp {
		return "", "a thousands separator must be followed by exactly three digits"
	}
	return b.String(), ""
}

func (f NumberFormat) thousandsText() string {
	if f.Thousands == "" {
		return " (there is none)"
	}
	return fmt.Sprintf(" %q", f.Thousands)
}

// Replacement is one literal replacement of text.
type Replacement struct{ Old, New string }

// Replacements are the `replace:` setting of a field: literal
// replacements applied one after another in the order the job file
// writes them, each seeing the result of the previous one.
type Replacements []Replacement

// UnmarshalYAML reads a YAML mapping keeping its order (goccy/go-yaml's
// MapSlice), so that {".": "", ",": "."} removes the points first.
func (r *Replacements) UnmarshalYAML(unmarshal func(any) error) error {
	var ms yaml.MapSlice
	if err := unmarshal(&ms); err != nil {
		return fmt.Errorf("replace must map texts to their replacements, e.g. {\"€\": \"\"}: %w", err)
	}
	out := make(Replacements, 0, len(ms))
	for _, it := range ms {
		out = append(out, Replacement{Old: scalarString(it.Key), New: scalarString(it.Value)})
	}
	*r = out
	return nil
}

func scalarString(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// JSONSchema describes replace as an object of strings.
func (Replacements) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "object", AdditionalProperties: &jsonschema.Schema{Type: "string"},
		Description: "Literal replacements (old: new) applied one after another in the order written"}
}
