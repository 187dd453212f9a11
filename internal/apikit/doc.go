// Package apikit is the client-side kit every API connector (inFlow,
// Goflow, Inventora) is built on: an injected Clock, a Registry of rate
// limiters keyed by account and endpoint group, a retry layer driven by a
// typed BackOffError, an Observer that sees every request, a redirect policy
// that never leaks credentials, a Secret type, a typed APIError, and Resolve,
// the one place that decides a connector's credentials, base URL, sandbox mode
// and rate.
//
// A connector builds one Client per account with NewClient, passing the
// process's Registry (pipeline.Env.APIs), and keeps only its own specifics:
// paths, headers, and Classify, which maps the API's error answers onto
// *BackOffError (retry after a wait) or a final error.
//
// How to use it, in short: resolve the connection with Resolve (sandbox or
// account, credentials, rate: the environment beats the job file); take the
// Registry from pipeline.Env.APIs (Registry.Or when nil); build the Client
// with the API's Auth, Secrets, Header, Limits and Classify; Do requests;
// hand an Observer to whoever records requests. Tests inject a VirtualClock
// (integration over loopback) or a FakeClock (unit) through
// RegistryOptions. User-facing rules: docs/api-connections.md.
package apikit
