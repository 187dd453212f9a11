package jobfile

import "github.com/etl-dev/etl/internal/suggest"

// typeAliases are names people write for a component type that is called
// something else here: `excel` is the xlsx type.
var typeAliases = map[string]string{
	"excel": "xlsx", "xls": "xlsx", "spreadsheet": "xlsx", "workbook": "xlsx",
	"json": "jsonl", "ndjson": "jsonl", "jsonlines": "jsonl",
	"pq": "parquet", "tsv": "csv", "text": "csv",
}

// typeHint is the did-you-mean hint for an unknown source or sink type:
// the type an alias stands for, else the closest known name.
func typeHint(typ string, names []string) string {
	if t, ok := typeAliases[typ]; ok && contains(names, t) {
		return `did you mean "` + t + `"?`
	}
	return suggest.Hint(typ, names)
}
