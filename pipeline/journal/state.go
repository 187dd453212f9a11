package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// State is one bookmark: a small named value a job keeps between runs.
type State struct {
	Job, Key, Value string
	Updated         time.Time
}

// GetState returns job's value for key; ok is false when there is none.
func (j *Journal) GetState(ctx context.Context, job, key string) (string, bool, error) {
	var v string
	err := j.getState.QueryRowContext(ctx, job, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("journal: state %s %s: %w", job, key, err)
	}
	return v, true, nil
}

// SetState sets job's value for key. It is durable when it returns, power
// loss included (SQLite: it commits with synchronous=FULL).
func (j *Journal) SetState(ctx context.Context, job, key, value string) error {
	if job == "" || key == "" {
		return fmt.Errorf("journal: set state: job and key are required (got %q, %q)", job, key)
	}
	err := j.be.durable(ctx, j.db, func(conn *sql.Conn) error {
		_, err := conn.ExecContext(ctx, j.be.rebind(`
INSERT INTO state (job, key, value, updated) VALUES (?, ?, ?, ?)
ON CONFLICT (job, key) DO UPDATE SET value = excluded.value, updated = excluded.updated`),
			job, key, value, j.now().UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("journal: set state %s %s: %w", job, key, err)
	}
	return nil
}

// States lists bookmarks by job and key; job "" lists every job's.
func (j *Journal) States(ctx context.Context, job string) ([]State, error) {
	rows, err := j.query(ctx, `
SELECT job, key, value, updated FROM state WHERE ? = '' OR job = ? ORDER BY job, key`, job, job)
	if err != nil {
		return nil, fmt.Errorf("journal: list state: %w", err)
	}
	defer rows.Close()
	var out []State
	for rows.Next() {
		var (
			s       State
			updated int64
		)
		if err := rows.Scan(&s.Job, &s.Key, &s.Value, &updated); err != nil {
			return nil, fmt.Errorf("journal: list state: %w", err)
		}
		s.Updated = fromMillis(updated)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal: list state: %w", err)
	}
	return out, nil
}

// ResetState deletes job's bookmark key, or all of job's when key is "",
// and returns how many it deleted.
func (j *Journal) ResetState(ctx context.Context, job, key string) (int, error) {
	if job == "" {
		return 0, errors.New("journal: reset state: job is required")
	}
	res, err := j.exec(ctx, `DELETE FROM state WHERE job = ? AND (? = '' OR key = ?)`, job, key, key)
	if err != nil {
		return 0, fmt.Errorf("journal: reset state of %s: %w", job, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("journal: reset state of %s: %w", job, err)
	}
	return int(n), nil
}
