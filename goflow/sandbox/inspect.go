package sandbox

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Records returns deep copies of a resource's records ("orders",
// "products", "purchase-orders", "receipts", "adjustments", "transfers",
// "warehouses", "vendors", "stores", "listings") in key order, as the API
// answers them: the reference a test compares an export with.
func (s *Server) Records(name string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.colls[name]
	if c == nil {
		panic("sandbox: no resource " + name)
	}
	var out []map[string]any
	for _, r := range c.all() {
		out = append(out, cloneJSON(r).(map[string]any))
	}
	return out
}

// OnHand is the on-hand stock of the product with itemNumber in the
// warehouse named warehouse; ok is false when either is unknown.
func (s *Server) OnHand(itemNumber, warehouse string) (q decimal.Decimal, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var pid int64
	for _, p := range s.colls["products"].recs {
		if strings.EqualFold(p["item_number"].(string), itemNumber) {
			pid, ok = intOf(p["id"]), true
		}
	}
	if !ok {
		return q, false
	}
	for _, w := range s.colls["warehouses"].recs {
		if strings.EqualFold(w["name"].(string), warehouse) {
			if lv := s.stock[stockKey{pid, w["id"].(string)}]; lv != nil {
				return lv.onHand, true
			}
			return decimal.Zero, true
		}
	}
	return q, false
}

// SetOrderStatus changes an order's status as a user of the Goflow app
// would, moving its status_updated_at to now.
func (s *Server) SetOrderStatus(id int64, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.colls["orders"].get(fmt.Sprint(id))
	if o == nil {
		return fmt.Errorf("sandbox: no order %d", id)
	}
	o["status"] = status
	o["status_updated_at"] = ts(s.clock.Now())
	return nil
}

// EditOrder changes an order in place without touching its
// status_updated_at (an edit Goflow records no time for).
func (s *Server) EditOrder(id int64, edit func(order map[string]any)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.colls["orders"].get(fmt.Sprint(id))
	if o == nil {
		return fmt.Errorf("sandbox: no order %d", id)
	}
	edit(o)
	return nil
}
