package goflowsink

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/etl-dev/etl/goflow/sandbox"
	"github.com/etl-dev/etl/pipeline/journal"
)

// recJournal records the intents and confirmations of a run, and what the
// emulator had created when each intent was recorded.
type recJournal struct {
	mu       sync.Mutex
	srv      *sandbox.Server
	intents  map[string]int // key → creates of its kind when intended
	confirms map[string]string
}

func (j *recJournal) Intend(_ context.Context, kind, key, guid, hash string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	res := map[string]string{kindProduct: "products", kindPO: "purchase-orders", kindAdjustment: "adjustments"}[kind]
	j.intents[kind+" "+key] = j.srv.Stats().Creates[res]
	return nil
}

func (j *recJournal) Confirm(_ context.Context, kind, key, guid, outcome, hash string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.confirms[kind+" "+key] = guid
	return nil
}

func (j *recJournal) Entries(context.Context, string) (map[string]journal.Entry, error) {
	return nil, nil
}

func (j *recJournal) LogRequests(context.Context, []journal.Request) error { return nil }

// Each create is journaled under its natural key before it is sent, and
// confirmed with the new id after.
func TestCreatesAreJournaledFirst(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{})
	j := &recJournal{srv: tn.srv, intents: map[string]int{}, confirms: map[string]string{}}
	dir := t.TempDir()
	tn.mustRun(t, dir, productsJob, map[string]string{"products.csv": "SKU,Name,Brand,Price,Cost,UPC\nJ-1,One,,1,,\nJ-2,Two,,2,,\n"}, runOpts{journal: j})
	tn.mustRun(t, dir, poJob, map[string]string{"po.csv": "PO,Vendor,Warehouse,SKU,Qty,Price\nJPO-1,Acme Supply Co,Main Warehouse,J-1,3,1\n"}, runOpts{journal: j})
	tn.mustRun(t, dir, fmt.Sprintf(stockJob, ", mode: add"), map[string]string{"stock.csv": "SKU,Warehouse,Qty\nJ-1,Main Warehouse,4\n"}, runOpts{journal: j})
	if j.intents[kindProduct+" item_number:J-1"] != 0 || j.intents[kindProduct+" item_number:J-2"] != 1 || j.intents[kindPO+" purchase_order_number:JPO-1"] != 0 {
		t.Errorf("intents %v", j.intents)
	}
	if len(j.intents) != 4 || len(j.confirms) != 4 {
		t.Fatalf("intents %v, confirms %v", j.intents, j.confirms)
	}
	for k, id := range j.confirms {
		if id == "" || id == "0" {
			t.Errorf("%s confirmed with id %q", k, id)
		}
	}
}

// Dry runs of products and purchase orders plan the creates and patches,
// send nothing, and give the time at the per-endpoint limits.
func TestProductsAndPurchaseOrdersDryRun(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, sandbox.Options{})
	dir := t.TempDir()
	tn.srv.ResetStats()
	r := tn.mustRun(t, dir, productsJob, map[string]string{"products.csv": "SKU,Name,Brand,Price,Cost,UPC\nD-1,One,,1,,\nD-2,Two,,2,,\nGF-0002,,,77.5,,\n"}, runOpts{dry: true})
	p := r.report.Plan
	if p == nil || p.Creates != 2 || p.Updates != 1 || p.Writes != 3 || len(p.Changes) != 3 {
		t.Fatalf("products plan %+v", p)
	}
	// Two creates at 30 a minute and one patch on its own limit: 2s.
	if p.Duration.Seconds() != 2 {
		t.Errorf("duration %s", p.Duration)
	}
	r = tn.mustRun(t, dir, poJob, map[string]string{"po.csv": "PO,Vendor,Warehouse,SKU,Qty,Price\nDPO-1,Acme Supply Co,Main Warehouse,GF-0001,3,1\nDPO-2,Acme Supply Co,Main Warehouse,GF-0001,3,1\n"}, runOpts{dry: true})
	if p := r.report.Plan; p == nil || p.Creates != 2 || p.Writes != 2 {
		t.Fatalf("purchase orders plan %+v", p)
	}
	if w := tn.srv.Stats().Writes; w != 0 {
		t.Fatalf("%d writes in dry runs", w)
	}
}
