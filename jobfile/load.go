// Package jobfile reads job files: YAML that names a source, a mapping with
// validation rules, a sink and options. Every mistake is reported before
// any data moves, with file:line:column and a hint.
package jobfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/mappings"
	"github.com/etl-dev/etl/pipeline"
)

// Job is a loaded, checked job file.
type Job struct {
	// Path is the job file as named on the command line.
	Path        string
	Name        string
	Description string
	SourceType  string
	Source      pipeline.SourceConfig
	Mapping     mappings.Spec
	SinkType    string
	Sink        pipeline.SinkConfig
	Options     Options
	Report      ReportOptions
	// Env resolves the job's relative paths against its own directory.
	Env pipeline.Env

	file *ast.File
	// identity is set when the job has no mapping section: every source
	// column passes through (mappings.Identity).
	identity bool
	// sourceSound is set when the source section decoded and validated
	// cleanly, and mappingSound when the mapping, skip_if and validate
	// sections did: then the mapping can be compiled against the source's
	// columns even when other sections have mistakes (see Diagnose).
	sourceSound, mappingSound bool
}

// Options tune how a job runs.
type Options struct {
	BatchSize   int    `yaml:"batch_size" jsonschema:"description=Records mapped and written together (default 1000),minimum=1"`
	Concurrency int    `yaml:"concurrency" jsonschema:"description=Batches mapped at once (default: the number of CPUs),minimum=1"`
	OnError     string `yaml:"on_error" jsonschema:"description=What a bad row does: skip it and go on (default) or abort the run,enum=skip,enum=abort"`
	MaxErrors   int64  `yaml:"max_errors" jsonschema:"description=With on_error: skip, the number of rejected rows tolerated before the run stops; 0 means no limit,minimum=0"`
}

// ErrorBudget translates the error policy for pipeline.RunConfig.
func (o Options) ErrorBudget() int64 {
	switch {
	case o.OnError == "abort":
		return 0
	case o.MaxErrors > 0:
		return o.MaxErrors
	}
	return -1
}

// ReportOptions name the report files a run writes; empty means none.
type ReportOptions struct {
	HTML      string `yaml:"html" jsonschema:"description=A self-contained HTML report for people"`
	JSON      string `yaml:"json" jsonschema:"description=The same report as JSON for machines"`
	Annotated string `yaml:"annotated" jsonschema:"description=An .xlsx copy of the input with bad cells highlighted and an Errors column"`
}

// topLevel is the job file's outline, for key checking and the JSON
// Schema; source, mapping, validate and sink are decoded by hand.
type topLevel struct {
	Name        string              `yaml:"name" jsonschema:"description=A short name for reports (default: the file name)"`
	Description string              `yaml:"description" jsonschema:"description=What the job is for"`
	Source      map[string]any      `yaml:"source" jsonschema:"description=Where rows come from; type selects the kind"`
	Mapping     map[string]any      `yaml:"mapping" jsonschema:"description=Output fields in order: each maps a source column (or an expression) to a typed field"`
	SkipIf      string              `yaml:"skip_if" jsonschema:"description=An expression; rows for which it is true end as skipped"`
	Validate    []mappings.RuleSpec `yaml:"validate" jsonschema:"description=Rules every mapped row must pass"`
	Sink        map[string]any      `yaml:"sink" jsonschema:"description=Where rows go; type selects the kind"`
	Options     Options             `yaml:"options"`
	Report      ReportOptions       `yaml:"report"`
}

// Load reads and checks the job file at path. Relative paths inside the
// job are resolved against the job file's directory. lookup reads ${VAR}
// references (os.LookupEnv when nil). The error, when not nil, is Errors.
func Load(path string, lookup LookupEnv) (*Job, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading job file: %w", err)
	}
	defer f.Close()
	// Read one byte past the cap, so that a larger file (or a device that
	// never ends) is refused without being read whole.
	data, err := io.ReadAll(io.LimitReader(f, MaxJobFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading job file: %w", err)
	}
	return Parse(path, data, lookup)
}

// Limits of a job file, checked before it is parsed: a job file is a
// small thing, and a YAML parser given a huge or deeply nested one can
// take gigabytes.
const (
	MaxJobFileSize = 1 << 20
	MaxJobDepth    = 100
)

// checkShape refuses a job file over MaxJobFileSize bytes or nested deeper
// than MaxJobDepth, in flow collections ([ and {) or by indentation.
func checkShape(path string, data []byte) error {
	if len(data) > MaxJobFileSize {
		return Errors{{File: path, Message: fmt.Sprintf("the job file is larger than %d KiB, the most a job file may be: a job file names a source, a mapping and a sink; is this the data file rather than the job?", MaxJobFileSize>>10)}}
	}
	depth, line, col := 0, 1, 0
	var quote byte
	comment := false
	var indents []int // indentation of the open block levels
	lineStart, indent := true, 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		col++
		if c == '\n' {
			line, col, comment, lineStart, indent = line+1, 0, false, true, 0
			continue
		}
		if comment {
			continue
		}
		if lineStart {
			if c == ' ' {
				indent++
				continue
			}
			lineStart = false
			if c != '#' && c != '\r' && quote == 0 && depth == 0 {
				for len(indents) > 0 && indents[len(indents)-1] >= indent {
					indents = indents[:len(indents)-1]
				}
				indents = append(indents, indent)
				if len(indents) > MaxJobDepth {
					return Errors{{File: path, Line: line, Column: col, Message: fmt.Sprintf("the job file is nested more than %d levels deep here: a job file is a few levels of settings; flatten it", MaxJobDepth)}}
				}
			}
		}
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case (c == '"' || c == '\'') && (i == 0 || strings.IndexByte(" \t[{,:-", data[i-1]) >= 0):
			quote = c
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t'):
			comment = true
		case c == '[' || c == '{':
			depth++
			if depth+len(indents) > MaxJobDepth {
				return Errors{{File: path, Line: line, Column: col, Message: fmt.Sprintf("the job file is nested more than %d levels deep here: a job file is a few levels of settings; flatten it", MaxJobDepth)}}
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}

// Parse is Load for a job file already in memory.
func Parse(path string, data []byte, lookup LookupEnv) (*Job, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	if err := checkShape(path, data); err != nil {
		return nil, err
	}
	w := &walker{file: path, lookup: lookup}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		w.decodeError(err, "syntax error")
		return nil, w.errs
	}
	if len(f.Docs) != 1 || f.Docs[0].Body == nil {
		return nil, Errors{{File: path, Message: "a job file holds exactly one YAML document with source, mapping and sink"}}
	}
	top, ok := pairs(f.Docs[0].Body)
	if !ok {
		w.errorAt(f.Docs[0].Body.GetToken(), "", "a job file is a mapping of keys (source, mapping, sink, ...)")
		return nil, w.errs
	}
	dir, _ := filepath.Abs(filepath.Dir(path))
	wd, _ := os.Getwd()
	job := &Job{
		Path: path,
		Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)),
		// One API registry per loaded job: its source and sink share one
		// rate limiter per account.
		Env:  pipeline.Env{BaseDir: dir, WorkDir: wd, APIs: apikit.NewRegistry(apikit.RegistryOptions{})},
		file: f,
	}
	topKeys := sortedKeys(fieldsByKey(reflect.TypeFor[topLevel]()))
	seen := map[string]bool{}
	// sourceMV and sinkMV are the component sections that decoded cleanly;
	// partial those whose only mistakes are unknown keys.
	var sourceMV, sinkMV *ast.MappingValueNode
	var partial []*ast.MappingValueNode
	mappingErrs := 0
	for _, mv := range top {
		key := keyName(mv)
		if seen[key] {
			w.errorAt(mv.Key.GetToken(), "", "key %q appears twice", key)
			continue
		}
		seen[key] = true
		switch key {
		case "name":
			w.decode(mv, &job.Name, key)
		case "description":
			w.decode(mv, &job.Description, key)
		case "source":
			before, unknown := len(w.errs), w.unknownKeys
			job.SourceType, job.Source = w.source(mv)
			switch {
			case job.Source == nil:
			case len(w.errs) == before:
				sourceMV = mv
			case len(w.errs)-before == w.unknownKeys-unknown:
				partial = append(partial, mv)
			}
		case "sink":
			before, unknown := len(w.errs), w.unknownKeys
			job.SinkType, job.Sink = w.sink(mv)
			switch {
			case job.Sink == nil:
			case len(w.errs) == before:
				sinkMV = mv
			case len(w.errs)-before == w.unknownKeys-unknown:
				partial = append(partial, mv)
			}
		case "mapping":
			before := len(w.errs)
			job.Mapping.Fields = w.mapping(mv)
			mappingErrs += len(w.errs) - before
		case "skip_if":
			before := len(w.errs)
			w.decode(mv, &job.Mapping.SkipIf, key)
			mappingErrs += len(w.errs) - before
		case "validate":
			before := len(w.errs)
			w.decode(mv, &job.Mapping.Rules, key)
			mappingErrs += len(w.errs) - before
		case "options":
			w.decode(mv, &job.Options, key)
		case "report":
			w.decode(mv, &job.Report, key)
		default:
			w.unknownKey(mv, key, "job", topKeys)
		}
	}
	job.identity = !seen["mapping"]
	job.mappingSound = mappingErrs == 0
	if sourceMV != nil {
		job.sourceSound = w.validateSettings(job, sourceMV, "source", job.SourceType, job.Source)
	}
	if sinkMV != nil {
		w.validateSettings(job, sinkMV, "sink", job.SinkType, job.Sink)
	}
	for _, mv := range partial {
		w.validateWritten(job, mv)
	}
	for _, required := range []string{"source", "sink"} {
		if !seen[required] {
			w.errs = append(w.errs, &Error{File: path, Message: "the job has no " + required + " section"})
		}
	}
	w.checkOptions(job)
	sort.SliceStable(w.errs, func(a, b int) bool { return w.errs[a].before(w.errs[b]) })
	return job, w.errs.err()
}

// validateSettings runs the component config's Validate (pipeline.Validator)
// and reports each bad setting at its place in the job file. It reports
// whether the settings are good.
func (w *walker) validateSettings(job *Job, mv *ast.MappingValueNode, section, typ string, cfg any) bool {
	err := pipeline.Validate(cfg)
	if err == nil {
		return true
	}
	where := section + " (" + typ + ")"
	ses := pipeline.SettingErrorsOf(err)
	if ses == nil {
		line, col := job.position(section + ".type")
		w.errs = append(w.errs, &Error{File: job.Path, Line: line, Column: col, Message: where + ": " + err.Error()})
		return false
	}
	for _, se := range ses {
		line, col := job.position(section + "." + se.Setting)
		if tk := mv.Key.GetToken(); line == 0 && tk != nil && tk.Position != nil {
			line, col = tk.Position.Line, tk.Position.Column
		}
		w.errs = append(w.errs, &Error{File: job.Path, Line: line, Column: col, Message: where + ": " + se.Message, Hint: se.Hint})
	}
	return false
}

// validateWritten validates a component section whose only mistakes are
// unknown keys, and reports only the bad settings the section writes: a
// setting left out may be one of the unknown keys misspelled (paht: for
// path:), so an error about it would depend on another mistake.
func (w *walker) validateWritten(job *Job, mv *ast.MappingValueNode) {
	section := keyName(mv)
	var cfg any
	var typ string
	switch section {
	case "source":
		st, _ := pipeline.LookupSource(job.SourceType)
		cfg, typ = st.NewConfig(), job.SourceType
	case "sink":
		st, _ := pipeline.LookupSink(job.SinkType)
		cfg, typ = st.NewConfig(), job.SinkType
	default:
		return
	}
	if yaml.NodeToValue(mv.Value, cfg) != nil {
		return
	}
	for _, se := range pipeline.SettingErrorsOf(pipeline.Validate(cfg)) {
		if line, col, ok := job.positionOf(section + "." + se.Setting); ok {
			w.errs = append(w.errs, &Error{File: job.Path, Line: line, Column: col,
				Message: section + " (" + typ + "): " + se.Message, Hint: se.Hint})
		}
	}
}

// decode checks mv's value against target's type and decodes it.
func (w *walker) decode(mv *ast.MappingValueNode, target any, where string) {
	before := len(w.errs)
	mv.Value = w.walk(mv.Value, reflect.TypeOf(target), where)
	if len(w.errs) > before || isNull(mv.Value) {
		return
	}
	if err := yaml.NodeToValue(mv.Value, target); err != nil {
		w.decodeError(err, where)
	}
}

// component reads the `type:` of a source or sink section and returns the
// section's settings without it.
func (w *walker) componentType(mv *ast.MappingValueNode, section string, names []string) (string, bool) {
	ps, ok := pairs(mv.Value)
	if !ok {
		w.errorAt(mv.Key.GetToken(), "", "%s must be a mapping with a type, e.g. {type: %s, path: ...}", section, names[0])
		return "", false
	}
	for _, p := range ps {
		if keyName(p) != "type" {
			continue
		}
		var typ string
		if s, ok := p.Value.(*ast.StringNode); ok {
			typ = s.Value
		}
		if !contains(names, typ) {
			hint := typeHint(typ, names)
			if hint == "" {
				hint = "known types: " + strings.Join(names, ", ")
			}
			w.errorAt(p.Value.GetToken(), hint, "unknown %s type %q", section, typ)
			return "", false
		}
		return typ, true
	}
	w.errorAt(mv.Key.GetToken(), "known types: "+strings.Join(names, ", "), "%s has no type", section)
	return "", false
}

func (w *walker) source(mv *ast.MappingValueNode) (string, pipeline.SourceConfig) {
	var names []string
	for _, t := range pipeline.SourceTypes() {
		names = append(names, t.Name)
	}
	typ, ok := w.componentType(mv, "source", names)
	if !ok {
		return "", nil
	}
	st, _ := pipeline.LookupSource(typ)
	return typ, settings(w, mv, st.NewConfig(), "source ("+typ+")")
}

func (w *walker) sink(mv *ast.MappingValueNode) (string, pipeline.SinkConfig) {
	var names []string
	for _, t := range pipeline.SinkTypes() {
		names = append(names, t.Name)
	}
	typ, ok := w.componentType(mv, "sink", names)
	if !ok {
		return "", nil
	}
	st, _ := pipeline.LookupSink(typ)
	return typ, settings(w, mv, st.NewConfig(), "sink ("+typ+")")
}

// settings decodes a component's section into cfg, type key aside, and
// returns cfg.
func settings[C any](w *walker, mv *ast.MappingValueNode, cfg C, where string) C {
	before := len(w.errs)
	mv.Value = w.walk(mv.Value, reflect.TypeOf(cfg), where, "type")
	if len(w.errs) > before {
		return cfg
	}
	if err := yaml.NodeToValue(mv.Value, cfg); err != nil {
		w.decodeError(err, where)
	}
	return cfg
}

// mapping decodes the ordered mapping section. A bare string value is the
// shorthand for {from: COLUMN}.
func (w *walker) mapping(mv *ast.MappingValueNode) []mappings.FieldSpec {
	ps, ok := pairs(mv.Value)
	if !ok {
		w.errorAt(mv.Key.GetToken(), "", "mapping must map field names to source columns, e.g. sku: SKU")
		return nil
	}
	fields := make([]mappings.FieldSpec, 0, len(ps))
	for _, p := range ps {
		name := keyName(p)
		where := "mapping." + name
		fs := mappings.FieldSpec{Name: name}
		if s, ok := p.Value.(*ast.StringNode); ok {
			p.Value = w.walk(s, reflect.TypeFor[string](), where)
			fs.From = p.Value.(*ast.StringNode).Value
		} else {
			w.decode(p, &fs, where)
			fs.Name = name
		}
		fields = append(fields, fs)
	}
	return fields
}

func (w *walker) checkOptions(job *Job) {
	o := &job.Options
	if o.BatchSize == 0 {
		o.BatchSize = 1000
	}
	if o.Concurrency == 0 {
		o.Concurrency = runtime.GOMAXPROCS(0)
	}
	if o.OnError == "" {
		o.OnError = "skip"
	}
	at := func(key, hint, format string, args ...any) {
		line, col := job.position("options." + key)
		w.errs = append(w.errs, &Error{File: job.Path, Line: line, Column: col, Message: fmt.Sprintf(format, args...), Hint: hint})
	}
	if o.OnError != "skip" && o.OnError != "abort" {
		at("on_error", suggest.Hint(o.OnError, []string{"skip", "abort"}), "options.on_error must be skip or abort, not %q", o.OnError)
	}
	for key, v := range map[string]int64{"batch_size": int64(o.BatchSize), "concurrency": int64(o.Concurrency), "max_errors": o.MaxErrors} {
		if v < 0 {
			at(key, "", "options.%s must not be negative", key)
		}
	}
	if o.OnError == "abort" && o.MaxErrors > 0 {
		at("max_errors", "use on_error: skip with max_errors, or on_error: abort alone", "options.max_errors has no effect with on_error: abort")
	}
}

// position finds the line and column of a dotted path in the job file
// ("mapping.price.from", "validate[2].pattern"), trying shorter paths when
// the full one is not written (as with the mapping shorthand).
func (j *Job) position(path string) (int, int) {
	for p := path; p != ""; {
		if line, col, ok := j.positionOf(p); ok {
			return line, col
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0, 0
}

// positionOf finds the line and column of exactly the dotted path p.
func (j *Job) positionOf(p string) (int, int, bool) {
	yp, err := yaml.PathString("$." + quoteSegments(p))
	if err != nil {
		return 0, 0, false
	}
	n, err := yp.FilterFile(j.file)
	if err != nil || n == nil {
		return 0, 0, false
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line, tk.Position.Column, true
	}
	return 0, 0, false
}

// quoteSegments quotes path segments that YAML path syntax would misread.
func quoteSegments(p string) string {
	parts := strings.Split(p, ".")
	for i, s := range parts {
		name, rest, _ := strings.Cut(s, "[")
		if strings.ContainsAny(name, " '\"$*") {
			name = "'" + name + "'"
		}
		if rest != "" {
			name += "[" + rest
		}
		parts[i] = name
	}
	return strings.Join(parts, ".")
}

// Prepared is a job ready to run: its source open and its mapping compiled
// against the source's columns.
type Prepared struct {
	Job     *Job
	Source  pipeline.Source
	Mapping *mappings.Mapping
}

// Prepare opens the source and compiles the mapping and rules against its
// columns. Mistakes in the mapping come back as Errors with positions. The
// caller closes Source.
func (j *Job) Prepare(ctx context.Context) (*Prepared, error) {
	if j.Source == nil {
		return nil, fmt.Errorf("%s: the job has no usable source section", j.Path)
	}
	src, err := j.Source.Open(ctx, j.Env)
	if err != nil {
		return nil, fmt.Errorf("%s: source: %w", j.Path, err)
	}
	spec := j.Mapping
	if j.identity {
		spec.Fields = mappings.Identity(src.Columns()).Fields
	}
	if nf, ok := j.Source.(mappings.NumberFormatter); ok {
		spec.Numbers = nf.NumberFormat() // the source's locale/separators
	}
	m, err := mappings.Compile(spec, src.Columns())
	if err != nil {
		src.Close()
		var specErrs mappings.SpecErrors
		if !errors.As(err, &specErrs) {
			return nil, fmt.Errorf("%s: mapping: %w", j.Path, err)
		}
		errs := make(Errors, 0, len(specErrs))
		for _, se := range specErrs {
			line, col := j.position(se.Path)
			errs = append(errs, &Error{File: j.Path, Line: line, Column: col, Message: se.Path + ": " + se.Message, Hint: se.Hint})
		}
		sort.SliceStable(errs, func(a, b int) bool { return errs[a].before(errs[b]) })
		return nil, errs
	}
	return &Prepared{Job: j, Source: src, Mapping: m}, nil
}

// Diagnose completes the errors of a job file that Load refused, so that
// every mistake of the file comes back at once: when the source section
// and the mapping sections are sound, it opens the source and compiles the
// mapping too, adding the column, rule and expression mistakes to loadErr
// (mistakes elsewhere, such as in the sink's settings or the options, do
// not hide them). Mistakes that depend on a broken section are not
// guessed at. It returns loadErr, completed; job may be nil.
func Diagnose(ctx context.Context, job *Job, loadErr error) error {
	var errs Errors
	if job == nil || !errors.As(loadErr, &errs) || !job.sourceSound || !job.mappingSound {
		return loadErr
	}
	prep, err := job.Prepare(ctx)
	if err == nil {
		prep.Source.Close()
		return loadErr
	}
	all := append(Errors(nil), errs...)
	var more Errors
	if errors.As(err, &more) {
		all = append(all, more...)
	} else {
		line, col := job.position("source")
		all = append(all, &Error{File: job.Path, Line: line, Column: col, Message: strings.TrimPrefix(err.Error(), job.Path+": ")})
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].before(all[b]) })
	return all
}
