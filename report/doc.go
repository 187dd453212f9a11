// Package report turns a run's pipeline.Result into reports a person can act
// on: an HTML page (WriteHTML) with the outcome counts and every problem
// grouped by kind, the same as JSON for machines (WriteJSON), and a copy of
// the input spreadsheet with the bad cells highlighted and commented
// (Annotate). Write makes whichever of them a run asks for.
package report
