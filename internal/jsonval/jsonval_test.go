package jsonval

import (
	"reflect"
	"testing"
)

func TestCloneIsDeep(t *testing.T) {
	orig := map[string]any{"a": []any{map[string]any{"b": "c"}, 1.5}, "d": nil}
	c := Clone(orig).(map[string]any)
	if !reflect.DeepEqual(c, orig) {
		t.Fatalf("clone %v differs from %v", c, orig)
	}
	c["a"].([]any)[0].(map[string]any)["b"] = "changed"
	c["d"] = true
	if orig["a"].([]any)[0].(map[string]any)["b"] != "c" || orig["d"] != nil {
		t.Fatalf("changing the clone changed the original: %v", orig)
	}
}
