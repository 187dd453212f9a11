package sandbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// resource is a product or a material as the emulator keeps it.
type resource struct {
	kind           string // "products" or "materials"
	id             string
	name, sku      string
	unitType       string
	unitPrice      *decimal.Decimal
	minLevel       *decimal.Decimal
	notes          *string
	retailPrice    *decimal.Decimal
	wholesalePrice *decimal.Decimal
	ean            *string
	minimumQty     *decimal.Decimal
	reorderURLs    []string
	levels         map[string]decimal.Decimal // by location name
	productionType string
	bom            []bomLine
	// tied is set once the resource has stock blocks tied to non-initial
	// logs (any stock-level update or production after the seed): from then
	// on unitPrice cannot be changed.
	tied bool
}

type bomLine struct {
	materialID string
	qty        decimal.Decimal
}

type location struct {
	id, name      string
	isDefault     bool
	hideMaterials bool
	address1      *string
	address2      *string
	city, state   *string
	zip, country  *string
}

type user struct{ id, email string }

// customStatus is a custom stock status. The docs say only that a custom
// update "uses a custom status"; the emulator gives each status a sign:
// +1 adds the quantity (like restock), -1 subtracts it (like loss).
type customStatus struct {
	id   int64
	name string
	sign int
}

type task struct {
	id          string
	name        string
	status      string
	order       int64
	locationID  *string
	userID      *string
	due         *time.Time
	completedAt *time.Time
	notes       *string
	createdAt   time.Time
	updatedAt   time.Time
	items       []*taskItem
	deleted     bool
}

type taskItem struct {
	id         int64
	resourceID string
	quantity   decimal.Decimal
	unitType   string
	completed  bool
	batches    []*batch
}

type batch struct {
	id        int64
	userID    *string
	quantity  decimal.Decimal
	createdAt time.Time
	updatedAt time.Time
	// applied records the stock changes the batch made, to reverse them.
	applied []stockChange
}

type stockChange struct {
	resourceID, location string
	delta                decimal.Decimal
}

// store is the emulator's state. The caller holds Server.mu.
type store struct {
	resources map[string]*resource
	// order is the list order of each kind: the API promises none, and
	// the unstable-order fault moves records within it.
	order     map[string][]string
	locations []*location
	users     []user
	statuses  []customStatus
	tasks     map[string]*task
	taskOrder []string
	nextTask  int64
	nextItem  int64
	nextBatch int64
	batches   map[int64]*batchRef
	rng       *rand.Rand
}

type batchRef struct {
	task *task
	item *taskItem
	b    *batch
}

func newStore(rng *rand.Rand) *store {
	return &store{
		resources: map[string]*resource{},
		order:     map[string][]string{"products": nil, "materials": nil},
		tasks:     map[string]*task{},
		batches:   map[int64]*batchRef{},
		rng:       rng,
	}
}

func (s *store) addResource(r *resource) {
	s.resources[r.id] = r
	s.order[r.kind] = append(s.order[r.kind], r.id)
}

func (s *store) resource(kind, id string) *resource {
	r := s.resources[id]
	if r == nil || r.kind != kind {
		return nil
	}
	return r
}

func (s *store) locationByName(name string) *location {
	for _, l := range s.locations {
		if l.name == name {
			return l
		}
	}
	return nil
}

func (s *store) locationByID(id string) *location {
	for _, l := range s.locations {
		if l.id == id {
			return l
		}
	}
	return nil
}

func (s *store) defaultLocation() *location {
	for _, l := range s.locations {
		if l.isDefault {
			return l
		}
	}
	if len(s.locations) > 0 {
		return s.locations[0]
	}
	return nil
}

// findUser resolves a user id or e-mail address.
func (s *store) findUser(idOrEmail string) *user {
	for i := range s.users {
		if s.users[i].id == idOrEmail || strings.EqualFold(s.users[i].email, idOrEmail) {
			return &s.users[i]
		}
	}
	return nil
}

// stockLevel is the sum over locations.
func (r *resource) stockLevel() decimal.Decimal {
	sum := decimal.Zero
	for _, v := range r.levels {
		sum = sum.Add(v)
	}
	return sum
}

// shuffleSome moves a few records of kind to random places, as concurrent
// edits reorder an unsorted table between two page requests.
func (s *store) shuffleSome(kind string, moves int) {
	ids := s.order[kind]
	if len(ids) < 2 {
		return
	}
	for range moves {
		i := s.rng.IntN(len(ids))
		id := ids[i]
		ids = slices.Delete(ids, i, i+1)
		j := s.rng.IntN(len(ids) + 1)
		ids = slices.Insert(ids, j, id)
	}
	s.order[kind] = ids
}

// applyStock changes a resource's level at a location by delta.
func (s *store) applyStock(r *resource, loc string, delta decimal.Decimal) {
	if r.levels == nil {
		r.levels = map[string]decimal.Decimal{}
	}
	r.levels[loc] = r.levels[loc].Add(delta)
	r.tied = true
}

// produce applies a batch: the product gains quantity at the task's
// location, its materials lose quantity × quantityUsed there.
func (s *store) produce(t *task, it *taskItem, qty decimal.Decimal) ([]stockChange, error) {
	loc := s.defaultLocation()
	if t.locationID != nil {
		if l := s.locationByID(*t.locationID); l != nil {
			loc = l
		}
	}
	if loc == nil {
		return nil, fmt.Errorf("the account has no location")
	}
	p := s.resources[it.resourceID]
	if p == nil {
		return nil, fmt.Errorf("Resource not found")
	}
	changes := []stockChange{{p.id, loc.name, qty}}
	for _, m := range p.bom {
		if s.resources[m.materialID] != nil {
			changes = append(changes, stockChange{m.materialID, loc.name, m.qty.Mul(qty).Neg()})
		}
	}
	for _, c := range changes {
		s.applyStock(s.resources[c.resourceID], c.location, c.delta)
	}
	return changes, nil
}
