package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// unitTypes are the unit types of the docs; "bundles" is read-only.
var unitTypes = []string{
	"pieces", "bundles", "cases",
	"weight.lbs", "weight.oz", "weight.kg", "weight.grams", "weight.mg", "weight.ct", "weight.gr",
	"length.ft", "length.yd", "length.in", "length.m", "length.cm", "length.mm",
	"area.sqft", "area.sqin", "area.sqm", "area.sqcm",
	"volume.oz", "volume.pt", "volume.qt", "volume.ga", "volume.ml", "volume.liters", "volume.bdft",
	"volume.cuin", "volume.cuft", "volume.cuyd", "volume.cm3", "volume.m3", "volume.tsp", "volume.tbsp", "volume.cup",
	"time.seconds", "time.minutes", "time.hours", "time.days",
}

var taskStatuses = []string{"pending", "in-progress", "done"}

// Messages the API answers (from the docs and their older versions).
const (
	msgUnitPriceLocked = "Cannot update unitPrice when resource has stock blocks tied to non-initial logs"
	msgBundle          = "unitType cannot be changed to or from bundle"
	msgLocation        = "Location not found"
	msgResource        = "Resource not found"
	msgTask            = "Task not found"
)

func decodeString(raw json.RawMessage) (string, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

func decodeNumber(raw json.RawMessage) (decimal.Decimal, bool) {
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(n.String())
	return d, err == nil
}

// patchable are the fields PATCH /products/:id and /materials/:id take.
var patchable = []string{"name", "sku", "unitType", "unitPrice", "minLevel", "notes", "retailPrice",
	"wholesalePrice", "ean", "minimumQuantity", "reorderURLs"}

func (s *Server) patchResource(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, msg := decodeBody(r)
		if msg != "" {
			writeError(w, http.StatusBadRequest, msg)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		res := s.st.resource(kind, r.PathValue("id"))
		if res == nil {
			writeError(w, http.StatusNotFound, msgResource)
			return
		}
		// Check everything first: a refused PATCH changes nothing.
		next := *res
		for _, k := range slices.Sorted(mapKeys(body)) {
			raw := body[k]
			if !slices.Contains(patchable, k) {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("%s cannot be updated", k))
				return
			}
			if msg := next.set(k, raw); msg != "" {
				writeError(w, http.StatusBadRequest, msg)
				return
			}
		}
		if _, ok := body["unitPrice"]; ok && res.tied && !decEqualPtr(res.unitPrice, next.unitPrice) {
			writeError(w, http.StatusBadRequest, msgUnitPriceLocked)
			return
		}
		if next.unitType != res.unitType && (isBundle(next.unitType) || isBundle(res.unitType)) {
			writeError(w, http.StatusBadRequest, msgBundle)
			return
		}
		*res = next
		writeJSON(w, http.StatusOK, s.st.renderResource(res))
	}
}

func isBundle(u string) bool { return u == "bundles" || u == "bundle" }

func decEqualPtr(a, b *decimal.Decimal) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// set applies one PATCH field to r, or says why it cannot.
func (r *resource) set(k string, raw json.RawMessage) string {
	nullable := func(dst **decimal.Decimal) string {
		if isNull(raw) {
			*dst = nil
			return ""
		}
		d, ok := decodeNumber(raw)
		if !ok {
			return k + " must be a number"
		}
		*dst = &d
		return ""
	}
	text := func(dst **string) string {
		if isNull(raw) {
			*dst = nil
			return ""
		}
		v, ok := decodeString(raw)
		if !ok {
			return k + " must be a string"
		}
		*dst = &v
		return ""
	}
	switch k {
	case "name":
		v, ok := decodeString(raw)
		if !ok || strings.TrimSpace(v) == "" {
			return "name must be a non-empty string"
		}
		r.name = v
	case "sku":
		v, ok := decodeString(raw)
		if !ok {
			return "sku must be a string"
		}
		r.sku = v
	case "unitType":
		v, ok := decodeString(raw)
		if !ok || !slices.Contains(unitTypes, v) {
			return "unitType must be one of the documented unit types"
		}
		if v == "bundles" && r.unitType != "bundles" {
			return msgBundle
		}
		r.unitType = v
	case "unitPrice":
		return nullable(&r.unitPrice)
	case "minLevel":
		return nullable(&r.minLevel)
	case "retailPrice":
		return nullable(&r.retailPrice)
	case "wholesalePrice":
		return nullable(&r.wholesalePrice)
	case "minimumQuantity":
		return nullable(&r.minimumQty)
	case "notes":
		return text(&r.notes)
	case "ean":
		return text(&r.ean)
	case "reorderURLs":
		var urls []string
		if err := json.Unmarshal(raw, &urls); err != nil {
			return "reorderURLs must be an array of strings"
		}
		r.reorderURLs = urls
	}
	return ""
}

func (s *Server) stockUpdate(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, msg := decodeBody(r)
		if msg != "" {
			writeError(w, http.StatusBadRequest, msg)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		res := s.st.resource(kind, r.PathValue("id"))
		if res == nil {
			writeError(w, http.StatusNotFound, msgResource)
			return
		}
		rawQty, ok := body["quantity"]
		if !ok || isNull(rawQty) {
			writeError(w, http.StatusBadRequest, "quantity is required")
			return
		}
		qty, ok := decodeNumber(rawQty)
		if !ok {
			writeError(w, http.StatusBadRequest, "quantity must be a number")
			return
		}
		if qty.IsNegative() {
			writeError(w, http.StatusBadRequest, "quantity must not be negative")
			return
		}
		locName, _ := decodeString(body["locationName"])
		if locName == "" {
			writeError(w, http.StatusBadRequest, "locationName is required")
			return
		}
		updateType, _ := decodeString(body["updateType"])
		var delta decimal.Decimal
		switch updateType {
		case "audit":
			delta = qty.Sub(res.levels[locName])
		case "restock":
			delta = qty
		case "loss":
			delta = qty.Neg()
		case "custom":
			raw, ok := body["customStatusId"]
			if !ok || isNull(raw) {
				writeError(w, http.StatusBadRequest, "customStatusId is required when updateType is custom")
				return
			}
			id, ok := decodeNumber(raw)
			if !ok || !id.IsInteger() {
				writeError(w, http.StatusBadRequest, "customStatusId must be a number")
				return
			}
			i := slices.IndexFunc(s.st.statuses, func(c customStatus) bool { return c.id == id.IntPart() })
			if i < 0 {
				writeError(w, http.StatusNotFound, "Custom status not found")
				return
			}
			delta = qty.Mul(decimal.NewFromInt(int64(s.st.statuses[i].sign)))
		default:
			writeError(w, http.StatusBadRequest, "updateType must be one of: audit, restock, loss, custom")
			return
		}
		if s.st.locationByName(locName) == nil {
			writeError(w, http.StatusNotFound, msgLocation)
			return
		}
		s.st.applyStock(res, locName, delta)
		writeJSON(w, http.StatusOK, s.st.renderResource(res))
	}
}

func (s *Server) listTasks(w http.ResponseWriter, r *http.Request) {
	limit, offset, msg := paging(r)
	if msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	q := r.URL.Query()
	status, userID := q.Get("status"), q.Get("UserId")
	if status != "" && !slices.Contains(taskStatuses, status) {
		writeError(w, http.StatusBadRequest, "status must be one of: pending, in-progress, done")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, n := len(s.st.taskOrder)-1, s.opts.TaskChurn; i >= 0 && n > 0; i-- {
		if t := s.st.tasks[s.st.taskOrder[i]]; !t.deleted {
			t.deleted = true
			n--
		}
	}
	if userID != "" {
		if u := s.st.findUser(userID); u != nil {
			userID = u.id
		}
	}
	var match []*task
	for _, id := range s.st.taskOrder {
		t := s.st.tasks[id]
		if t.deleted || (status != "" && t.status != status) || (userID != "" && (t.userID == nil || *t.userID != userID)) {
			continue
		}
		match = append(match, t)
	}
	out := []taskJSON{}
	for _, t := range window(match, limit, offset) {
		out = append(out, s.st.renderTask(t))
	}
	writeJSON(w, http.StatusOK, page{out, pagination{len(match), offset, limit}})
}

func (s *Server) liveTask(id string) *task {
	t := s.st.tasks[id]
	if t == nil || t.deleted {
		return nil
	}
	return t
}

func (s *Server) getTask(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.liveTask(r.PathValue("id"))
	if t == nil {
		writeError(w, http.StatusNotFound, msgTask)
		return
	}
	writeJSON(w, http.StatusOK, s.st.renderTask(t))
}

type newTaskBody struct {
	Name     *string `json:"name"`
	Assignee *string `json:"Assignee"`
	UserID   *string `json:"UserId"`
	Items    []struct {
		ProductID string          `json:"ProductId"`
		Quantity  json.RawMessage `json:"quantity"`
		UnitType  string          `json:"unitType"`
	} `json:"Items"`
	LocationID *string `json:"LocationId"`
	Due        *string `json:"due"`
	Notes      *string `json:"notes"`
	Status     *string `json:"status"`
}

func parseDue(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func (s *Server) createTask(w http.ResponseWriter, r *http.Request) {
	var body newTaskBody
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err := dec.Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "Request body must be a JSON object")
		return
	}
	if body.Name == nil || strings.TrimSpace(*body.Name) == "" {
		writeError(w, http.StatusBadRequest, "name is required")
		return
	}
	if len(body.Items) == 0 {
		writeError(w, http.StatusBadRequest, "Items cannot be empty")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC().Truncate(time.Second)
	t := &task{name: *body.Name, status: "pending", createdAt: now, updatedAt: now, notes: body.Notes}
	for i, it := range body.Items {
		if s.st.resources[it.ProductID] == nil {
			writeError(w, http.StatusNotFound, fmt.Sprintf("Items[%d]: %s", i, msgResource))
			return
		}
		qty, ok := decodeNumber(it.Quantity)
		if !ok || !qty.IsPositive() {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Items[%d].quantity must be > 0", i))
			return
		}
		unit := it.UnitType
		if unit == "" {
			unit = "pieces"
		} else if !slices.Contains(unitTypes, unit) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Items[%d].unitType must be one of the documented unit types", i))
			return
		}
		t.items = append(t.items, &taskItem{resourceID: it.ProductID, quantity: qty, unitType: unit})
	}
	if msg, status := s.assign(t, body.Assignee, body.UserID); msg != "" {
		writeError(w, status, msg)
		return
	}
	if body.LocationID != nil {
		if s.st.locationByID(*body.LocationID) == nil {
			writeError(w, http.StatusNotFound, msgLocation)
			return
		}
		t.locationID = body.LocationID
	}
	if body.Due != nil {
		due, ok := parseDue(*body.Due)
		if !ok {
			writeError(w, http.StatusBadRequest, "due must be an ISO 8601 date")
			return
		}
		t.due = &due
	}
	if body.Status != nil {
		if !slices.Contains(taskStatuses, *body.Status) {
			writeError(w, http.StatusBadRequest, "status must be one of: pending, in-progress, done")
			return
		}
		t.status = *body.Status
		if t.status == "done" {
			t.completedAt = &now
		}
	}
	s.st.nextTask++
	t.id = "task_" + strconv.FormatInt(s.st.nextTask, 10)
	t.order = int64(len(s.st.taskOrder) + 1)
	for _, it := range t.items {
		s.st.nextItem++
		it.id = s.st.nextItem
	}
	s.st.tasks[t.id] = t
	s.st.taskOrder = append(s.st.taskOrder, t.id)
	writeJSON(w, http.StatusCreated, s.st.renderTask(t))
}

// assign sets the task's user from Assignee (id or e-mail) or UserId.
func (s *Server) assign(t *task, assignee, userID *string) (string, int) {
	who := assignee
	if who == nil {
		who = userID
	}
	if who == nil {
		return "", 0
	}
	u := s.st.findUser(*who)
	if u == nil {
		return "User not found", http.StatusNotFound
	}
	id := u.id
	t.userID = &id
	return "", 0
}

func (s *Server) patchTask(w http.ResponseWriter, r *http.Request) {
	body, msg := decodeBody(r)
	if msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.liveTask(r.PathValue("id"))
	if t == nil {
		writeError(w, http.StatusNotFound, msgTask)
		return
	}
	next := *t
	now := s.now().UTC().Truncate(time.Second)
	for _, k := range slices.Sorted(mapKeys(body)) {
		raw := body[k]
		switch k {
		case "name":
			v, ok := decodeString(raw)
			if !ok || strings.TrimSpace(v) == "" {
				writeError(w, http.StatusBadRequest, "name cannot be empty")
				return
			}
			next.name = v
		case "Assignee", "UserId":
			if isNull(raw) {
				next.userID = nil
				continue
			}
			v, ok := decodeString(raw)
			if !ok {
				writeError(w, http.StatusBadRequest, k+" must be a string")
				return
			}
			if msg, status := s.assign(&next, &v, nil); msg != "" {
				writeError(w, status, msg)
				return
			}
		case "status":
			v, _ := decodeString(raw)
			if !slices.Contains(taskStatuses, v) {
				writeError(w, http.StatusBadRequest, "status must be one of: pending, in-progress, done")
				return
			}
			if v == "done" && next.status != "done" {
				next.completedAt = &now
			} else if v != "done" {
				next.completedAt = nil
			}
			next.status = v
		case "LocationId":
			if isNull(raw) {
				next.locationID = nil
				continue
			}
			v, _ := decodeString(raw)
			if s.st.locationByID(v) == nil {
				writeError(w, http.StatusNotFound, msgLocation)
				return
			}
			next.locationID = &v
		case "due":
			if isNull(raw) {
				next.due = nil
				continue
			}
			v, _ := decodeString(raw)
			due, ok := parseDue(v)
			if !ok {
				writeError(w, http.StatusBadRequest, "due must be an ISO 8601 date")
				return
			}
			next.due = &due
		case "notes":
			if isNull(raw) {
				next.notes = nil
				continue
			}
			v, ok := decodeString(raw)
			if !ok {
				writeError(w, http.StatusBadRequest, "notes must be a string")
				return
			}
			next.notes = &v
		default:
			writeError(w, http.StatusBadRequest, fmt.Sprintf("%s cannot be updated", k))
			return
		}
	}
	next.updatedAt = now
	*t = next
	writeJSON(w, http.StatusOK, s.st.renderTask(t))
}

func (s *Server) deleteTask(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.liveTask(r.PathValue("id"))
	if t == nil {
		writeError(w, http.StatusNotFound, msgTask)
		return
	}
	t.deleted = true
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) createBatch(w http.ResponseWriter, r *http.Request) {
	body, msg := decodeBody(r)
	if msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.liveTask(r.PathValue("id"))
	if t == nil {
		writeError(w, http.StatusNotFound, msgTask)
		return
	}
	itemID, _ := strconv.ParseInt(r.PathValue("item"), 10, 64)
	i := slices.IndexFunc(t.items, func(it *taskItem) bool { return it.id == itemID })
	if i < 0 {
		writeError(w, http.StatusNotFound, "Task item not found")
		return
	}
	qty, ok := decodeNumber(body["quantity"])
	if !ok || !qty.IsPositive() {
		writeError(w, http.StatusBadRequest, "quantity must be > 0")
		return
	}
	it := t.items[i]
	changes, err := s.st.produce(t, it, qty)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	now := s.now().UTC().Truncate(time.Second)
	s.st.nextBatch++
	b := &batch{id: s.st.nextBatch, quantity: qty, createdAt: now, updatedAt: now, applied: changes}
	it.batches = append(it.batches, b)
	s.st.batches[b.id] = &batchRef{t, it, b}
	itemRef := it.id
	writeJSON(w, http.StatusCreated, batchJSON{ID: b.id, TaskResourceID: &itemRef, UserID: nil, Quantity: num{qty},
		CreatedAt: isoTime(now), UpdatedAt: isoTime(now)})
}

func (s *Server) deleteBatch(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := s.st.batches[id]
	if ref == nil {
		writeError(w, http.StatusNotFound, "Batch not found")
		return
	}
	for _, c := range ref.b.applied {
		if res := s.st.resources[c.resourceID]; res != nil {
			s.st.applyStock(res, c.location, c.delta.Neg())
		}
	}
	ref.item.batches = slices.DeleteFunc(ref.item.batches, func(b *batch) bool { return b == ref.b })
	delete(s.st.batches, id)
	w.WriteHeader(http.StatusNoContent)
}
