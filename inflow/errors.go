package inflow

import (
	"errors"
	"net/http"
	"strings"

	"github.com/etl-dev/etl/internal/apikit"
)

// Errors returned without contacting the server.
var (
	// ErrMissingID: a Put (or Get) was given an entity without its GUID.
	ErrMissingID = errors.New("inflow: missing entity id")
	// ErrInvalidID: the id is not a GUID.
	ErrInvalidID = errors.New("inflow: entity id is not a GUID")
	// ErrPagingStalled: a full page brought only ids already seen, so the
	// server is not honouring after=; the list stops rather than loop.
	ErrPagingStalled = errors.New("inflow: paging stalled: a full page repeated only ids already seen")
)

// APIError is a request that inFlow answered with a status other than 2xx,
// after any retries: the kit's error (see apikit.APIError), with API
// "inflow" and Path relative to the company root. It carries what a user
// needs to act on it and never the API key or the query string; Error reads
// "inflow: PUT /products: 422 Unprocessable Entity: Negative Inventory".
type APIError = apikit.APIError

// StatusOf returns the HTTP status of an *APIError in err's chain, or 0.
func StatusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}

func messageContains(err error, words ...string) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	m := strings.ToLower(ae.Message + " " + ae.Body)
	for _, w := range words {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

// IsConflict reports an optimistic-concurrency failure: a 409 or 412, or a
// 400/422 whose message speaks of the timestamp or a concurrent change (inFlow
// does not document the status it uses).
func IsConflict(err error) bool {
	switch StatusOf(err) {
	case http.StatusConflict, http.StatusPreconditionFailed:
		return true
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return messageContains(err, "timestamp", "concurren", "modified by", "has been modified", "stale")
	}
	return false
}

// IsUnauthorized reports a 401 or 403: a wrong key or company, or no access.
func IsUnauthorized(err error) bool {
	s := StatusOf(err)
	return s == http.StatusUnauthorized || s == http.StatusForbidden
}

// IsRowError reports an error that belongs to the data sent (400, 409, 412,
// 422): retrying the same request cannot help, but other rows can go on.
func IsRowError(err error) bool {
	switch StatusOf(err) {
	case http.StatusBadRequest, http.StatusConflict, http.StatusPreconditionFailed, http.StatusUnprocessableEntity:
		return true
	}
	return false
}
