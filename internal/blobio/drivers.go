package blobio

// linked are the schemes whose gocloud driver this build has; the
// drivers_*.go files fill it in from init, each unless its build tag
// leaves it out.
var linked = map[string]bool{}

// tagName is the build tag suffix that leaves a scheme's driver out.
var tagName = map[string]string{"s3": "s3", "gs": "gcs", "azblob": "azure"}
