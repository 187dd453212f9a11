//go:build !etl_no_gcs

package blobio

import _ "gocloud.dev/blob/gcsblob" // gs://

func init() { linked["gs"] = true }
