package inventora

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// PageSize is the largest page Inventora answers (limit=1000), and the
// one the client always asks for.
const PageSize = 1000

// DefaultReads is how many times List reads a list in full before it
// gives up on a consistent snapshot.
const DefaultReads = 4

// ErrInconsistent is wrapped by List's error when the records kept moving
// while paging: after every read the ids still did not add up to
// totalCount.
var ErrInconsistent = fmt.Errorf("inventora: the list changed while it was read")

type pageInfo struct {
	TotalCount int `json:"totalCount"`
	Offset     int `json:"offset"`
	Limit      int `json:"limit"`
}

type pageOf[T any] struct {
	Data       []T      `json:"data"`
	Pagination pageInfo `json:"pagination"`
}

// ListResult is a consistent snapshot of a list: every record once.
type ListResult[T any] struct {
	// Items are the records, each id once, in the order they were first
	// seen.
	Items []T
	// Reads is how many full reads it took (1 when nothing moved).
	Reads int
	// Requests is how many page requests were sent.
	Requests int
	// Moved counts records seen twice or found only by a re-read: a
	// non-zero value means the order changed while paging.
	Moved int
}

// list reads every page of path with limit=1000 and offset, and makes
// the result consistent. Inventora promises no order, so records can move
// between two page requests, and offset paging then skips some and
// repeats others. list deduplicates by id, and when the distinct ids of a
// read do not add up to the totalCount of its pages (or totalCount
// changed during the read), it reads the list again, keeping what it has
// found, up to maxReads reads in all. It fails with ErrInconsistent when
// the ids still do not add up, rather than return a wrong snapshot.
//
// Records found are kept in memory: a list is held whole before it is
// returned (about a kilobyte a product).
func list[T any](ctx context.Context, c *Client, path string, query url.Values, id func(*T) string, maxReads int) (*ListResult[T], error) {
	if maxReads <= 0 {
		maxReads = DefaultReads
	}
	res := &ListResult[T]{}
	index := map[string]int{}
	for read := 1; read <= maxReads; read++ {
		res.Reads = read
		total := -1
		changed := false
		seenThisRead := map[string]bool{}
		for offset := 0; ; {
			q := url.Values{}
			for k, v := range query {
				q[k] = v
			}
			q.Set("limit", strconv.Itoa(PageSize))
			q.Set("offset", strconv.Itoa(offset))
			var p pageOf[json.RawMessage]
			if err := c.get(ctx, path, q, &p); err != nil {
				return nil, err
			}
			res.Requests++
			if total >= 0 && p.Pagination.TotalCount != total {
				changed = true
			}
			total = p.Pagination.TotalCount
			for _, raw := range p.Data {
				var item T
				if err := json.Unmarshal(raw, &item); err != nil {
					return nil, fmt.Errorf("inventora: GET %s: decoding a record: %w", path, err)
				}
				k := id(&item)
				if seenThisRead[k] {
					res.Moved++
				}
				seenThisRead[k] = true
				if i, ok := index[k]; ok {
					res.Items[i] = item // the newer version
					continue
				}
				if read > 1 {
					res.Moved++
				}
				index[k] = len(res.Items)
				res.Items = append(res.Items, item)
			}
			offset += len(p.Data)
			if len(p.Data) == 0 || offset >= total {
				break
			}
		}
		if !changed && len(res.Items) == total {
			return res, nil
		}
		if !changed && len(res.Items) > total {
			// More distinct ids than the list holds: some were deleted
			// while paging. Start afresh to learn which.
			res.Items, index = nil, map[string]int{}
		}
	}
	return nil, fmt.Errorf("%w: after %d reads (%d requests) the ids still do not add up to the totalCount; try again when nobody is editing, or lower the job's concurrency with Inventora's other users", ErrInconsistent, res.Reads, res.Requests)
}
