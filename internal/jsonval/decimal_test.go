package jsonval

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
)

func TestUnmarshalDecimal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in          string
		emptyIsZero bool
		want        string // "" with wantErr; "keep" when dst must not change
		wantErr     bool
	}{
		{in: `5.50`, want: "5.5"},
		{in: `"19.99"`, want: "19.99"},
		{in: ` 0.1000000000000000055511151231257827 `, want: "0.1000000000000000055511151231257827"}, // no float64
		{in: `12345678901234567890.12`, want: "12345678901234567890.12"},
		{in: `1e3`, want: "1000"},
		{in: `null`, want: "keep"},
		{in: `""`, emptyIsZero: true, want: "0"},
		{in: `""`, wantErr: true},
		{in: `"abc"`, wantErr: true},
		{in: `true`, wantErr: true},
	} {
		dst := decimal.RequireFromString("7")
		err := UnmarshalDecimal([]byte(tc.in), &dst, tc.emptyIsZero)
		switch {
		case tc.wantErr:
			if err == nil {
				t.Errorf("%s: got %s, want an error", tc.in, dst)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.in, err)
		case tc.want == "keep":
			if !dst.Equal(decimal.NewFromInt(7)) {
				t.Errorf("%s: changed dst to %s", tc.in, dst)
			}
		case dst.String() != tc.want:
			t.Errorf("%s: got %s, want %s", tc.in, dst, tc.want)
		}
	}
}

func TestDecimalRoundTripsAsANumber(t *testing.T) {
	t.Parallel()
	var v struct {
		Price *Decimal `json:"price"`
		Cost  *Decimal `json:"cost"`
	}
	if err := json.Unmarshal([]byte(`{"price": 5.50, "cost": null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Cost != nil || v.Price == nil {
		t.Fatalf("price %v cost %v: want price set, cost nil", v.Price, v.Cost)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"price":5.5,"cost":null}` {
		t.Errorf("got %s", out)
	}
}
