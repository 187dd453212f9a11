package inflow

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// SummaryRequest names one (product, location) pair for ProductSummaries.
// An empty LocationID asks for the product across all locations.
type SummaryRequest struct {
	ProductID  string
	LocationID string
}

// MarshalJSON writes {"productId":…,"locationId":…|null}.
func (r SummaryRequest) MarshalJSON() ([]byte, error) {
	var loc *string
	if r.LocationID != "" {
		loc = &r.LocationID
	}
	return json.Marshal(struct {
		ProductID  string  `json:"productId"`
		LocationID *string `json:"locationId"`
	}{r.ProductID, loc})
}

// ProductSummary fetches one product's inventory summary
// (GET /products/{id}/summary), at locationID or, when it is "", across all
// locations.
func (c *Client) ProductSummary(ctx context.Context, productID, locationID string) (*ProductSummary, error) {
	if strings.TrimSpace(productID) == "" {
		return nil, fmt.Errorf("%w: GET /products/{id}/summary", ErrMissingID)
	}
	var q url.Values
	if locationID != "" {
		q = url.Values{"locationId": {locationID}}
	}
	out := new(ProductSummary)
	if _, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/products/" + url.PathEscape(productID) + "/summary", Query: q}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ProductSummaries fetches the inventory summaries of any number of pairs
// through POST /products/summary, MaxSummaryBatch (100) pairs per request,
// one batch after another, and returns the answers concatenated in request
// order (match them by ProductID and LocationID to be safe). On an error it
// returns the summaries of the batches that succeeded. A pair without a
// product id fails the call before any request. The POST only reads,
// so it is retried like a GET. Pass distinct pairs: each one costs a slot.
func (c *Client) ProductSummaries(ctx context.Context, pairs []SummaryRequest) ([]ProductSummary, error) {
	for i, p := range pairs {
		if strings.TrimSpace(p.ProductID) == "" {
			return nil, fmt.Errorf("%w: POST /products/summary: pair %d has no product id", ErrMissingID, i)
		}
	}
	var out []ProductSummary
	for start := 0; start < len(pairs); start += MaxSummaryBatch {
		batch := pairs[start:min(start+MaxSummaryBatch, len(pairs))]
		var page []ProductSummary
		if _, err := c.Do(ctx, Request{Method: http.MethodPost, Path: "/products/summary", Body: batch, Idempotent: true}, &page); err != nil {
			return out, err
		}
		out = append(out, page...)
	}
	return out, nil
}
