package serials

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteText writes the answer for people, as `etl serial find` prints it:
//
//	SN-10-0-B: Bluetooth Speaker BT-200 (SKU EL-SPK-BT200)
//	on hand at Overflow Storage / SHELF-9 (snapshot of 2026-11-22 02:00 UTC)
//	on 2 document(s):
//	  2026-11-02  stock adjustment ADJ-000002   line     Showroom / BIN-1
//	  2026-11-14  stock transfer   TO-T001      line     Showroom / BIN-1 → Overflow Storage / SHELF-9 Completed
//
// A serial that is nowhere on hand is shown with the places inFlow last had
// it; an unknown one as "SN: not found ...".
func (a *Answer) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if !a.Found() {
		fmt.Fprintf(bw, "%s: not found", a.Serial)
		if a.SnapshotFile != "" {
			fmt.Fprintf(bw, " in the snapshot of %s", stamp(a.SnapshotAt))
		}
		if len(a.HistoryFiles) > 0 {
			fmt.Fprintf(bw, " nor on any exported document")
		}
		fmt.Fprintln(bw)
		return bw.Flush()
	}
	serial, product := a.Serial, ""
	for _, p := range a.Places {
		serial = p.Serial
		product = p.ProductName
		if p.SKU != "" {
			product += " (SKU " + p.SKU + ")"
		}
		break
	}
	if product == "" && len(a.Movements) > 0 {
		serial, product = a.Movements[0].Serial, "product "+a.Movements[0].ProductID
	}
	fmt.Fprintf(bw, "%s: %s\n", serial, product)
	switch cur := a.Current(); {
	case a.SnapshotFile == "":
		fmt.Fprintln(bw, "where it is: unknown (no serials snapshot found)")
	case len(cur) > 0:
		for _, p := range cur {
			fmt.Fprintf(bw, "on hand at %s (snapshot of %s)\n", a.place(p.LocationID, p.LocationName, p.Sublocation), stamp(a.SnapshotAt))
		}
	case len(a.Places) > 0:
		var was []string
		for _, p := range a.Places {
			was = append(was, a.place(p.LocationID, p.LocationName, p.Sublocation))
		}
		fmt.Fprintf(bw, "not on hand anywhere (snapshot of %s); inFlow last had it at %s\n", stamp(a.SnapshotAt), strings.Join(was, ", "))
	default:
		fmt.Fprintf(bw, "not in the snapshot of %s\n", stamp(a.SnapshotAt))
	}
	switch len(a.Movements) {
	case 0:
		if len(a.HistoryFiles) == 0 {
			fmt.Fprintln(bw, "documents: unknown (no serial_history export found)")
		} else {
			fmt.Fprintln(bw, "on no exported document")
		}
	default:
		docs := map[string]bool{}
		for _, m := range a.Movements {
			docs[m.DocumentType+m.DocumentID] = true
		}
		fmt.Fprintf(bw, "on %d document(s):\n", len(docs))
		for _, m := range a.Movements {
			date := "          "
			if !m.DocumentDate.IsZero() {
				date = m.DocumentDate.Format("2006-01-02")
			}
			where := a.place(m.LocationID, "", m.Sublocation)
			if m.ToLocationID != "" {
				where += " → " + a.place(m.ToLocationID, "", m.ToSublocation)
			}
			status := m.DocumentStatus
			if m.IsCancelled {
				status = "cancelled"
			}
			fmt.Fprintf(bw, "  %s  %-16s %-12s %-8s %-30s %s\n", date, strings.ReplaceAll(m.DocumentType, "_", " "),
				m.DocumentNumber, m.LineType, where, status)
		}
	}
	return bw.Flush()
}

func (a *Answer) place(id, name, sub string) string {
	if name == "" {
		name = a.LocationNames[id]
	}
	if name == "" {
		name = id
	}
	if name == "" {
		name = "?"
	}
	if sub != "" {
		return name + " / " + sub
	}
	return name
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "unknown time"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
