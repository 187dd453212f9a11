package mappings

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/box"
	"github.com/etl-dev/etl/pipeline"
)

// Defaults of decimal fields.
const (
	DefaultPrecision = 18
	DefaultScale     = 2
	maxPrecision     = 100
)

var (
	defaultTrue  = []string{"true", "yes", "y", "1", "on"}
	defaultFalse = []string{"false", "no", "n", "0", "off"}
)

type caseMode int

const (
	caseNone caseMode = iota
	caseUpper
	caseLower
	caseTitle
)

// roundMode is how a decimal field rounds values with more decimals than
// its scale.
type roundMode int

const (
	roundNever roundMode = iota // such a value is a problem
	roundHalfEven
	roundHalfUp
	roundDown
)

// coercer turns raw source values (or expression results) into values of
// one field type. It is immutable after Compile and safe for concurrent
// use.
type coercer struct {
	typ       pipeline.Type
	trim      bool
	nullIf    []string
	replace   Replacements
	numbers   NumberFormat // separators of numeric text
	round     roundMode
	caseMode  caseMode
	strip     string
	precision int
	scale     int
	trueVals  []string // lower case
	falseVals []string // lower case
	formats   []string
	loc       *time.Location // zone of timestamps without offset; never nil
	zoneSet   bool           // timezone was given (dates of typed times use it)
	srcType   pipeline.Type  // type of the source column, for text of typed values
}

// newCoercer returns a coercer of type t with the defaults of FieldSpec.
func newCoercer(t pipeline.Type) *coercer {
	return &coercer{
		typ: t, trim: true, nullIf: []string{""},
		precision: DefaultPrecision, scale: DefaultScale,
		trueVals: defaultTrue, falseVals: defaultFalse, loc: time.UTC,
	}
}

// coerce converts raw to the field type. It returns nil for null, or a
// non-empty message saying why raw cannot be converted (the "type" rule).
// The value is boxed from a (nil: allocated, see arena.go).
func (c *coercer) coerce(raw any, a *box.Arena) (any, string) {
	switch v := raw.(type) {
	case nil:
		return nil, ""
	case string:
		if c.typ == pipeline.TypeString {
			t, null := c.transform(v, true)
			switch {
			case null:
				return nil, ""
			case t == v:
				// The text as it came: keep the value already boxed in
				// raw rather than allocate a new interface for it.
				return raw, ""
			}
			return boxString(a, t), ""
		}
		return c.fromText(v, true, a)
	case []byte:
		if c.typ == pipeline.TypeBytes {
			return append([]byte(nil), v...), ""
		}
		if !utf8.Valid(v) {
			return nil, "the bytes are not valid UTF-8 text"
		}
		return c.fromText(string(v), true, a)
	}
	v := normalize(raw)
	if c.typ == pipeline.TypeString || c.typ == pipeline.TypeBytes {
		s, ok := c.typedText(v)
		if !ok {
			w := typeWord(raw)
			return nil, fmt.Sprintf("%s %s value cannot become %s", article(w), w, c.typ)
		}
		return c.fromText(s, true, a)
	}
	return c.fromTyped(v, raw, a)
}

// normalize reduces Go numeric kinds to int64, float64 and decimal.Decimal.
func normalize(raw any) any {
	switch v := raw.(type) {
	case int:
		return int64(v)
	case int8:
		return int64(v)
	case int16:
		return int64(v)
	case int32:
		return int64(v)
	case uint8:
		return int64(v)
	case uint16:
		return int64(v)
	case uint32:
		return int64(v)
	case uint:
		return normalize(uint64(v))
	case uint64:
		if v <= math.MaxInt64 {
			return int64(v)
		}
		return decimal.NewFromBigInt(new(big.Int).SetUint64(v), 0)
	case float32:
		return float64(v)
	case *decimal.Decimal:
		if v == nil {
			return nil
		}
		return *v
	}
	return raw
}

// typedText is the text of a typed value for string fields.
func (c *coercer) typedText(v any) (string, bool) {
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case decimal.Decimal:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	case time.Time:
		if c.srcType == pipeline.TypeDate {
			return v.Format(time.DateOnly), true
		}
		return v.UTC().Format(time.RFC3339Nano), true
	case fmt.Stringer:
		return v.String(), true
	}
	return "", false
}

// fromTyped converts a normalized typed value to a non-text field type. A
// value that stays as it is keeps its box, raw.
func (c *coercer) fromTyped(v, raw any, a *box.Arena) (any, string) {
	cannot := func() (any, string) {
		w := typeWord(raw)
		return nil, fmt.Sprintf("%s %s value cannot become %s", article(w), w, c.typ)
	}
	switch c.typ {
	case pipeline.TypeInteger:
		switch v := v.(type) {
		case int64:
			if _, same := raw.(int64); same {
				return raw, ""
			}
			return boxInt(a, v), ""
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) || v != math.Trunc(v) {
				return nil, fmt.Sprintf("%v is not a whole number; use type: decimal or float for fractions", v)
			}
			if v < -(1<<63) || v >= 1<<63 {
				return nil, fmt.Sprintf("%v is out of the range of integers", v)
			}
			return boxInt(a, int64(v)), ""
		case decimal.Decimal:
			n, why := decimalToInt(v)
			if why != "" {
				return nil, v.String() + " " + why
			}
			return n, ""
		}
		return cannot()
	case pipeline.TypeFloat:
		switch v := v.(type) {
		case int64:
			return boxFloat(a, float64(v)), ""
		case float64:
			if _, same := raw.(float64); same {
				return raw, ""
			}
			return boxFloat(a, v), ""
		case decimal.Decimal:
			return boxFloat(a, v.InexactFloat64()), ""
		}
		return cannot()
	case pipeline.TypeDecimal:
		switch v := v.(type) {
		case int64:
			return c.fitDecimal(decimal.NewFromInt(v), strconv.FormatInt(v, 10))
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Sprintf("%v is not a decimal number", v)
			}
			// A float is read as the 15 significant digits it stands for
			// (0.1+0.2 is 0.3), as spreadsheets show it.
			f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
			return c.fitDecimal(decimal.NewFromFloat(f), strconv.FormatFloat(v, 'g', -1, 64))
		case decimal.Decimal:
			return c.fitDecimal(v, v.String())
		}
		return cannot()
	case pipeline.TypeBool:
		switch v := v.(type) {
		case bool:
			return v, ""
		case int64:
			if v == 0 || v == 1 {
				return v == 1, ""
			}
		case float64:
			if v == 0 || v == 1 {
				return v == 1, ""
			}
		case decimal.Decimal:
			if v.IsZero() || v.Equal(decimal.NewFromInt(1)) {
				return !v.IsZero(), ""
			}
		default:
			return cannot()
		}
		return nil, fmt.Sprintf("%v is not a bool: only 0 and 1 are", v)
	case pipeline.TypeDate:
		if t, ok := v.(time.Time); ok {
			if c.zoneSet {
				t = t.In(c.loc)
			}
			return boxTime(a, midnight(t)), ""
		}
		return cannot()
	case pipeline.TypeTimestamp:
		if t, ok := v.(time.Time); ok {
			if u := t.UTC(); u != t {
				return boxTime(a, u), ""
			}
			return raw, ""
		}
		return cannot()
	}
	return cannot()
}

// typeWord names the type of a raw value as etl does.
func typeWord(raw any) string {
	switch normalize(raw).(type) {
	case int64:
		return "integer"
	case float64:
		return "float"
	case decimal.Decimal:
		return "decimal"
	case bool:
		return "bool"
	case time.Time:
		return "time"
	case string:
		return "string"
	}
	return fmt.Sprintf("%T", raw)
}

func article(w string) string {
	if w != "" && strings.ContainsRune("aeiouAEIOU", rune(w[0])) {
		return "an"
	}
	return "a"
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// isNull says whether (trimmed) text means null.
func (c *coercer) isNull(s string) bool {
	for _, n := range c.nullIf {
		if s == n {
			return true
		}
	}
	return false
}

// isBoolWord reports a text that a bool field lists in true_values or
// false_values: such a text is never null.
func (c *coercer) isBoolWord(s string) bool {
	if c.typ != pipeline.TypeBool {
		return false
	}
	for _, l := range [][]string{c.trueVals, c.falseVals} {
		for _, v := range l {
			if strings.EqualFold(v, s) {
				return true
			}
		}
	}
	return false
}

// transform applies trim, null_if (when applyNull), replace and case. null
// is true when the text means null.
func (c *coercer) transform(s string, applyNull bool) (out string, null bool) {
	if c.trim {
		s = trimSpace(s)
	}
	if applyNull && c.isNull(s) && !c.isBoolWord(s) {
		return "", true
	}
	for _, r := range c.replace {
		s = strings.ReplaceAll(s, r.Old, r.New)
	}
	switch c.caseMode {
	case caseUpper:
		s = strings.ToUpper(s)
	case caseLower:
		s = strings.ToLower(s)
	case caseTitle:
		s = titleCase(s)
	}
	if c.typ != pipeline.TypeString && c.typ != pipeline.TypeBytes && (s == "" || !c.trimmed() && trimSpace(s) == "") && !c.isBoolWord("") {
		return "", true
	}
	return s, false
}

// trimmed says that transform's text has no surrounding space: it was
// trimmed, and neither replace nor case changed it since.
func (c *coercer) trimmed() bool {
	return c.trim && len(c.replace) == 0 && c.caseMode == caseNone
}

// fromText converts text input, boxing the value from a.
func (c *coercer) fromText(s string, applyNull bool, a *box.Arena) (any, string) {
	t, null := c.transform(s, applyNull)
	if null {
		return nil, ""
	}
	switch c.typ {
	case pipeline.TypeString:
		return boxString(a, t), ""
	case pipeline.TypeBytes:
		return []byte(t), ""
	}
	if !c.trimmed() {
		t = trimSpace(t)
	}
	switch c.typ {
	case pipeline.TypeInteger:
		return c.parseInteger(t, a)
	case pipeline.TypeDecimal:
		return c.parseDecimal(t, a)
	case pipeline.TypeFloat:
		return c.parseFloat(t, a)
	case pipeline.TypeBool:
		return c.parseBool(t)
	case pipeline.TypeDate:
		return c.parseDate(t, a)
	case pipeline.TypeTimestamp:
		return c.parseTimestamp(t, a)
	}
	return nil, "unsupported type " + c.typ.String()
}

// titleCase upper-cases the first letter of every word and lower-cases the
// rest; a word starts after any rune that is not a letter, digit or
// apostrophe.
func titleCase(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	start := true
	for _, r := range s {
		if start {
			b.WriteRune(unicode.ToTitle(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		start = !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’')
	}
	return b.String()
}

// stripNumber removes the strip characters from numeric text. A stripped
// character between two digits is a thousands separator: it must be
// followed by exactly three digits and come before the decimal point, so
// that "12,5" is not read as 125 when "," is stripped. ok is false when one
// is misplaced.
func (c *coercer) stripNumber(s string) (out string, ok bool) {
	if !c.numbers.IsZero() {
		return c.separated(s)
	}
	if c.strip == "" || !strings.ContainsAny(s, c.strip) {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	prevDigit, point := false, false
	for i, r := range s {
		if !strings.ContainsRune(c.strip, r) {
			b.WriteRune(r)
			prevDigit = r >= '0' && r <= '9'
			if r == '.' || r == 'e' || r == 'E' {
				point = true
			}
			continue
		}
		rest := s[i+utf8.RuneLen(r):]
		if prevDigit && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			n := 0
			for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
				n++
			}
			if n != 3 || point {
				return "", false
			}
		}
	}
	return b.String(), true
}

// separated reads numeric text written with declared separators: the
// strip characters (other than the separators) are removed, then the
// separators are checked and the text made plain.
func (c *coercer) separated(s string) (string, bool) {
	if c.strip != "" {
		s = strings.Map(func(r rune) rune {
			if strings.ContainsRune(c.strip, r) && string(r) != c.numbers.Decimal && string(r) != c.numbers.Thousands &&
				!(isSpaceSep(r) && c.numbers.Thousands != "" && isSpaceSep([]rune(c.numbers.Thousands)[0])) {
				return -1
			}
			return r
		}, s)
		s = strings.TrimSpace(s)
	}
	out, msg := c.numbers.canonical(s)
	return out, msg == ""
}

// isNumber reports whether s is [+-]digits[.digits][e[+-]digits] (digits on
// at least one side of the point).
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// maxNumberLen bounds numeric text, so that a huge cell cannot cost
// quadratic big-number conversions.
const maxNumberLen = 512

func (c *coercer) parseInteger(s string, a *box.Arena) (any, string) {
	if len(s) > maxNumberLen {
		return nil, tooLong(s)
	}
	n, ok := c.stripNumber(s)
	if !ok {
		return nil, c.numberMessage(s, "an integer")
	}
	if v, err := strconv.ParseInt(n, 10, 64); err == nil {
		return boxInt(a, v), ""
	}
	if !isNumber(n) {
		return nil, c.numberMessage(s, "an integer")
	}
	d, tiny, err := parseDec(n)
	if err != nil {
		return nil, fmt.Sprintf("%s is out of the range of integers", qs(s))
	}
	if tiny {
		return nil, fmt.Sprintf("%s is not a whole number; use type: decimal or float for fractions", qs(s))
	}
	v, why := decimalToInt(d)
	if why != "" {
		return nil, fmt.Sprintf("%s %s", qs(s), why)
	}
	return v, ""
}

// decimalToInt converts a whole decimal to int64; why says what is wrong
// otherwise ("is not a whole number…").
func decimalToInt(d decimal.Decimal) (v any, why string) {
	if !d.IsInteger() {
		return nil, "is not a whole number; use type: decimal or float for fractions"
	}
	if !d.IsZero() && d.NumDigits()+int(d.Exponent()) > 19 {
		return nil, "is out of the range of integers"
	}
	b := d.BigInt()
	if !b.IsInt64() {
		return nil, "is out of the range of integers"
	}
	return b.Int64(), ""
}

func (c *coercer) parseDecimal(s string, a *box.Arena) (any, string) {
	if len(s) > maxNumberLen {
		return nil, tooLong(s)
	}
	n, ok := c.stripNumber(s)
	if ok {
		if v, fast := c.fastDecimal(n); fast {
			return boxDecimal(a, v, -int32(c.scale)), ""
		}
	}
	if !ok || !isNumber(n) {
		return nil, c.numberMessage(s, "a decimal")
	}
	d, tiny, err := parseDec(n)
	if err != nil {
		return nil, fmt.Sprintf("%s is out of the range of decimals", qs(s))
	}
	if tiny {
		if c.round == roundNever {
			return nil, fmt.Sprintf("%s has more than %d decimals (the field's scale); raise scale, or add round: half_even to round such values on purpose", qs(s), c.scale)
		}
		return decimal.New(0, -int32(c.scale)), ""
	}
	return c.fitDecimal(d, s)
}

// fastDecimal reads plain decimal text, [+-]digits[.digits], whose value
// fits the field as it is (no more decimals than the scale but for
// trailing zeros, no more digits than the precision, at most 18 digits in
// all) straight into the scaled int64 a DECIMAL(18,s) stores, without
// big-number parsing: the value is v × 10^-scale. ok is false for any
// other text: parseDecimal's exact path then gives the same value, a
// rounded one (round:) or the message. Not for round: down, whose exact
// path keeps the text's own exponent.
func (c *coercer) fastDecimal(n string) (v int64, ok bool) {
	if c.scale > c.precision || c.scale > 18 || c.round == roundDown {
		return 0, false
	}
	i, neg := 0, false
	if i < len(n) && (n[i] == '+' || n[i] == '-') {
		neg = n[i] == '-'
		i++
	}
	start, intDigits := i, 0
	for ; i < len(n) && n[i] >= '0' && n[i] <= '9'; i++ {
		if v != 0 || n[i] != '0' { // leading zeros do not count
			if intDigits++; intDigits > 18 {
				return 0, false
			}
			v = v*10 + int64(n[i]-'0')
		}
	}
	if i == start || intDigits > c.precision-c.scale || intDigits+c.scale > 18 {
		return 0, false
	}
	frac := 0
	if i < len(n) {
		if n[i] != '.' {
			return 0, false
		}
		i++
		fracStart := i
		for ; i < len(n) && n[i] >= '0' && n[i] <= '9'; i++ {
			if frac == c.scale {
				if n[i] != '0' { // rounding, or a problem: the exact path says
					return 0, false
				}
				continue // a trailing zero changes nothing
			}
			frac++
			v = v*10 + int64(n[i]-'0')
		}
		if i == fracStart || i != len(n) {
			return 0, false
		}
	}
	for ; frac < c.scale; frac++ {
		v *= 10
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseDec reads number text (isNumber). tiny reports a non-zero number
// whose negative exponent is too large for the decimal package: it is
// smaller than any scale can show.
func parseDec(n string) (d decimal.Decimal, tiny bool, err error) {
	d, err = decimal.NewFromString(n)
	if err == nil {
		return d, false, nil
	}
	i := strings.IndexAny(n, "eE")
	if i < 0 || i+1 >= len(n) || n[i+1] != '-' {
		return d, false, err
	}
	m, err2 := decimal.NewFromString(n[:i])
	if err2 != nil {
		return d, false, err
	}
	return decimal.Zero, !m.IsZero(), nil
}

// fitDecimal checks d against the scale and the precision. A value with
// more decimals than the scale is rounded only when the field says how
// (round:); otherwise it is a problem, so that no amount changes unseen.
func (c *coercer) fitDecimal(d decimal.Decimal, text string) (any, string) {
	tooBig := func() (any, string) {
		return nil, fmt.Sprintf("%s has too many digits for decimal(%d,%d): at most %d before the decimal point; raise precision",
			short(text), c.precision, c.scale, c.precision-c.scale)
	}
	if !d.IsZero() && d.NumDigits()+int(d.Exponent()) > c.precision-c.scale {
		return tooBig()
	}
	scale := int32(c.scale)
	var r decimal.Decimal
	switch c.round {
	case roundHalfEven:
		r = d.RoundBank(scale)
	case roundHalfUp:
		r = d.Round(scale)
	case roundDown:
		r = d.Truncate(scale)
	default:
		r = d.Round(scale)
		if !r.Equal(d) {
			return nil, fmt.Sprintf("%s has more than %d decimals (the field's scale): it would become %s; raise scale, or add round: half_even (or half_up) to round such values on purpose",
				qs(text), c.scale, r.StringFixed(scale))
		}
	}
	if !r.IsZero() && r.NumDigits() > c.precision {
		return tooBig()
	}
	return r, ""
}

func (c *coercer) parseFloat(s string, a *box.Arena) (any, string) {
	if len(s) > maxNumberLen {
		return nil, tooLong(s)
	}
	n, ok := c.stripNumber(s)
	if !ok || !isNumber(n) {
		return nil, c.numberMessage(s, "a number")
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil {
		return nil, fmt.Sprintf("%s is out of the range of floats", qs(s))
	}
	return boxFloat(a, f), ""
}

func tooLong(s string) string {
	return fmt.Sprintf("%s is too long for a number (%d characters)", qs(s), utf8.RuneCountInString(s))
}

// short truncates text for messages.
func short(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// qs quotes text for messages, truncated.
func qs(s string) string { return strconv.Quote(short(s)) }

// numberMessage explains why s is not a number and what would fix it.
func (c *coercer) numberMessage(s, what string) string {
	msg := fmt.Sprintf("%s is not %s", qs(s), what)
	if !c.numbers.IsZero() {
		t := s
		if c.strip != "" {
			t = strings.TrimSpace(strings.Map(func(r rune) rune {
				if strings.ContainsRune(c.strip, r) && string(r) != c.numbers.Decimal && string(r) != c.numbers.Thousands {
					return -1
				}
				return r
			}, s))
		}
		form := fmt.Sprintf(" written as %s (decimal_separator %q, thousands_separator %q)", c.numbers.Sample(), orDot(c.numbers.Decimal), c.numbers.Thousands)
		if _, why := c.numbers.canonical(t); why != "" {
			return msg + form + ": " + why
		}
		return msg + form + ": numbers are digits with an optional sign, the separators and an exponent"
	}
	n, grouped := c.stripNumber(s)
	if !grouped {
		// Only the separators are in question: look at the text without
		// the other stripped characters.
		n = strings.Map(func(r rune) rune {
			if r != ',' && r != '.' && strings.ContainsRune(c.strip, r) {
				return -1
			}
			return r
		}, s)
		if decimalComma(n) {
			return msg + separatorHint(n, c.typ)
		}
		return msg + ": a character of strip sits between digits but not before a group of three digits of the integer part, so it is no thousands separator; fix the value or strip"
	}
	digits, letters := 0, 0
	var foreign []rune
	for _, r := range n {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' || r == '+' || r == '-':
		case r == 'e' || r == 'E':
		case unicode.IsLetter(r):
			letters++
		default:
			if !strings.ContainsRune(string(foreign), r) {
				foreign = append(foreign, r)
			}
		}
	}
	switch {
	case digits == 0:
		return msg + `: if it means "no value", add it to null_if`
	case decimalComma(n):
		return msg + separatorHint(n, c.typ)
	case letters > 0:
		return msg + ": it contains letters; numbers are digits with an optional sign, decimal point and exponent (1.5e3)"
	case len(foreign) > 0:
		if c.strip == "" {
			return msg + fmt.Sprintf(": add strip: %q to remove currency symbols", string(foreign))
		}
		return msg + fmt.Sprintf(": add %q to strip", string(foreign))
	case strings.Count(n, ".") > 1:
		return msg + `: it has several dots; if they separate thousands, set thousands_separator: "." (and decimal_separator: ","), or locale: de-DE, on the field or the source`
	}
	return msg + ": numbers are digits with an optional sign, decimal point and exponent, e.g. -1234.5"
}

// separatorHint recommends the separator settings for text with a
// decimal comma ("24,99", "1.299,50").
func separatorHint(n string, typ pipeline.Type) string {
	if typ == pipeline.TypeInteger {
		return `: it has a decimal comma; use type: decimal for fractions, with decimal_separator: ","`
	}
	if strings.Contains(n, ".") {
		return `: it is written with a decimal comma and dots between thousands: set decimal_separator: "," and thousands_separator: "." (or locale: de-DE) on the field or the source`
	}
	return `: it is written with a decimal comma: set decimal_separator: "," (or a locale such as de-DE or fr-FR) on the field or the source`
}

func orDot(s string) string {
	if s == "" {
		return "."
	}
	return s
}

// decimalComma reports text like "12,5" or "1.234,56": a comma followed by
// other than three digits, or after dot-grouped thousands.
func decimalComma(s string) bool {
	i := strings.LastIndexByte(s, ',')
	if i < 0 || strings.Count(s, ",") != 1 {
		return false
	}
	head, tail := strings.TrimLeft(s[:i], "+-"), s[i+1:]
	if tail == "" || head == "" || strings.Trim(tail, "0123456789") != "" {
		return false
	}
	if strings.Contains(head, ".") {
		return strings.Trim(head, "0123456789.") == ""
	}
	return strings.Trim(head, "0123456789") == "" && len(tail) != 3
}

func (c *coercer) parseBool(s string) (any, string) {
	for _, v := range c.trueVals {
		if strings.EqualFold(s, v) {
			return true, ""
		}
	}
	for _, v := range c.falseVals {
		if strings.EqualFold(s, v) {
			return false, ""
		}
	}
	return nil, fmt.Sprintf("%s is not a bool: use one of %s or %s, or set true_values and false_values",
		qs(s), strings.Join(c.trueVals, ", "), strings.Join(c.falseVals, ", "))
}

func (c *coercer) parseDate(s string, a *box.Arena) (any, string) {
	if len(c.formats) == 0 {
		// The formats come first: only without them is ISO text surely
		// read as ISO.
		if p, ok := readISO(s); ok {
			return boxTime(a, p.date()), ""
		}
	}
	for _, f := range c.formats {
		if t, err := time.ParseInLocation(f, s, time.UTC); err == nil {
			return boxTime(a, midnight(t)), ""
		}
	}
	if t, ok := parseISO(s, time.UTC); ok {
		return boxTime(a, midnight(t)), ""
	}
	return nil, c.timeMessage(s, "a date")
}

func (c *coercer) parseTimestamp(s string, a *box.Arena) (any, string) {
	if len(c.formats) == 0 {
		if p, ok := readISO(s); ok {
			return boxTime(a, p.utc(c.loc)), ""
		}
	}
	for _, f := range c.formats {
		if t, err := time.ParseInLocation(f, s, c.loc); err == nil {
			return boxTime(a, t.UTC()), ""
		}
	}
	if t, ok := parseISO(s, c.loc); ok {
		return boxTime(a, t.UTC()), ""
	}
	return nil, c.timeMessage(s, "a timestamp")
}

// parseISO reads an ISO 8601 date (2006-01-02) or date-time: T, t or a
// space between date and time, minutes or seconds with an optional
// fraction, and an optional offset (Z, ±hh:mm, ±hhmm, ±hh, possibly after
// a space). Times without an offset are in loc. The result keeps the
// offset as written.
func parseISO(s string, loc *time.Location) (time.Time, bool) {
	if len(s) == 10 {
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		return t, err == nil
	}
	if len(s) < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') {
		return time.Time{}, false
	}
	date, rest := s[:10], s[11:]
	clock, off := rest, ""
	if i := strings.IndexAny(rest, "Zz+-"); i >= 0 {
		clock, off = strings.TrimRight(rest[:i], " "), rest[i:]
	}
	sec := 0
	if len(clock) > 5 {
		sec = 1
	}
	// The layouts are constants and the text is s itself when it is
	// already in the layout's shape (RFC 3339 then takes time.Parse's
	// fast path): no allocation per cell.
	kind := 0
	switch {
	case off == "":
	case off == "Z" || off == "z":
		kind, off = 1, "Z"
	case len(off) == 6 && off[3] == ':':
		kind = 1
	case len(off) == 5:
		kind = 2
	case len(off) == 3:
		kind = 3
	default:
		return time.Time{}, false
	}
	layout := isoLayouts[sec][kind]
	value := s
	if s[10] != 'T' || len(clock)+len(off) != len(rest) || off != rest[len(rest)-len(off):] {
		value = date + "T" + clock + off
	}
	if kind == 0 {
		t, err := time.ParseInLocation(layout, value, loc)
		return t, err == nil
	}
	t, err := time.Parse(layout, value)
	return t, err == nil
}

// isoLayouts are parseISO's layouts by [with seconds][offset kind: none,
// Z or ±hh:mm, ±hhmm, ±hh].
var isoLayouts = [2][4]string{
	{"2006-01-02T15:04", "2006-01-02T15:04Z07:00", "2006-01-02T15:04Z0700", "2006-01-02T15:04Z07"},
	{"2006-01-02T15:04:05", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05Z07"},
}

// timeMessage explains why s is not a date or timestamp, guessing the
// layout to add to formats.
func (c *coercer) timeMessage(s, what string) string {
	msg := fmt.Sprintf("%s is not %s", qs(s), what)
	if why := impossibleDate(s); why != "" {
		return msg + ": " + why
	}
	if len(c.formats) > 0 {
		msg += fmt.Sprintf(" in the formats %s or ISO 8601", quoteList(c.formats, 5))
	} else {
		msg += " in ISO 8601 (2006-01-02, 2006-01-02T15:04:05Z)"
	}
	if g := guessLayouts(s); len(g) > 0 {
		return msg + ": add its Go layout to formats: " + strings.Join(g, " or ")
	}
	if strings.Trim(s, "0123456789") == "" && len(s) == 5 {
		return msg + ": it looks like a spreadsheet serial number; format the column as a date"
	}
	return msg + `: add its Go layout to formats (written with the reference time, e.g. "02/01/2006 15:04")`
}

// guessLayouts proposes Go layouts for dates written d/m/y, m/d/y or y/m/d
// with / . or - separators.
func guessLayouts(s string) []string {
	datePart, timePart, _ := strings.Cut(s, " ")
	var sep byte
	for _, r := range []byte("/.-") {
		if strings.Count(datePart, string(r)) == 2 {
			sep = r
			break
		}
	}
	if sep == 0 {
		return nil
	}
	parts := strings.Split(datePart, string(sep))
	nums := make([]int, 3)
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || p == "" || len(p) > 4 {
			return nil
		}
		nums[i] = n
	}
	sp := string(sep)
	pad := func(p, two, one string) string {
		if len(p) == 1 {
			return one
		}
		return two
	}
	year := func(p string) string {
		if len(p) == 4 {
			return "2006"
		}
		return "06"
	}
	var out []string
	switch {
	case len(parts[0]) == 4:
		out = append(out, "2006"+sp+pad(parts[1], "01", "1")+sp+pad(parts[2], "02", "2"))
	case len(parts[2]) == 4 || len(parts[2]) == 2:
		dm := pad(parts[0], "02", "2") + sp + pad(parts[1], "01", "1") + sp + year(parts[2])
		md := pad(parts[0], "01", "1") + sp + pad(parts[1], "02", "2") + sp + year(parts[2])
		switch {
		case nums[0] > 12 && nums[1] <= 12:
			out = append(out, dm)
		case nums[1] > 12 && nums[0] <= 12:
			out = append(out, md)
		case nums[0] <= 12 && nums[1] <= 12:
			out = append(out, dm+" (day first)", md+" (month first)")
		}
	}
	if len(out) == 0 {
		return nil
	}
	if timePart != "" {
		tl := "15:04"
		if strings.Count(timePart, ":") == 2 {
			tl = "15:04:05"
		}
		for i := range out {
			l, note, _ := strings.Cut(out[i], " ")
			out[i] = l + " " + tl
			if note != "" {
				out[i] += " " + note
			}
		}
	}
	for i := range out {
		l, note, _ := strings.Cut(out[i], " (")
		out[i] = strconv.Quote(l)
		if note != "" {
			out[i] += " (" + note
		}
	}
	return out
}
