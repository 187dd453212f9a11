package apikit

import "time"

// RequestEvent is one HTTP exchange (one attempt) of a Client.
type RequestEvent struct {
	// API is the connector's name.
	API string
	// Time is when the limiter let the attempt go, on the Client's clock
	// (exact on a VirtualClock too: count these per window).
	Time time.Time
	// Method, Path and Route name the request: Path is the escaped path
	// below the base URL without the query; Route its template
	// ("/products/{id}"), Path when the connector gives none.
	Method, Path, Route string
	// Status is the HTTP status, 0 when no answer came (Err says why).
	Status int
	// Duration is from sending to the end of the body, on the clock.
	Duration time.Duration
	// Waited is how long the attempt waited on the limiter.
	Waited time.Duration
	// Attempt is 1 for the first send of a request, 2 for its first retry...
	Attempt int
	// Resend marks a send Go's transport made on its own (a keep-alive
	// connection closed before the answer); it has no Status.
	Resend bool
	// Err is the transport failure when Status is 0, else nil.
	Err error
}

// RetryEvent is a decision to wait before trying a request again, or to
// pause the account's (or group's) limiter after a rate-limit answer.
type RetryEvent struct {
	API                 string
	Time                time.Time
	Method, Path, Route string
	// Attempt is the attempt that failed.
	Attempt int
	// Wait is how long the request (Paused: every request on the limiter)
	// waits.
	Wait time.Duration
	// Paused says the limiter was paused (a shared back-off, e.g. a 429).
	Paused bool
	// Final says no retry follows (retries exhausted or not allowed); the
	// pause still holds for the others.
	Final bool
	// Reason is why: "status 503", a transport error (redacted).
	Reason string
}

// Observer receives every request and every retry decision of the Clients
// it is given to. Calls come from the goroutines making the requests, so
// implementations must be safe for concurrent use and quick (journals
// buffer). Secrets never appear in events.
type Observer interface {
	ObserveRequest(RequestEvent)
	ObserveRetry(RetryEvent)
}

// ObserverFuncs is an Observer from functions; nil ones are skipped.
type ObserverFuncs struct {
	Request func(RequestEvent)
	Retry   func(RetryEvent)
}

func (o ObserverFuncs) ObserveRequest(e RequestEvent) {
	if o.Request != nil {
		o.Request(e)
	}
}

func (o ObserverFuncs) ObserveRetry(e RetryEvent) {
	if o.Retry != nil {
		o.Retry(e)
	}
}

// Observers fans events out to each non-nil observer in turn.
func Observers(obs ...Observer) Observer {
	var list multiObserver
	for _, o := range obs {
		if o != nil {
			list = append(list, o)
		}
	}
	return list
}

type multiObserver []Observer

func (m multiObserver) ObserveRequest(e RequestEvent) {
	for _, o := range m {
		o.ObserveRequest(e)
	}
}

func (m multiObserver) ObserveRetry(e RetryEvent) {
	for _, o := range m {
		o.ObserveRetry(e)
	}
}
