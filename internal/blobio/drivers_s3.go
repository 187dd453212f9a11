//go:build !etl_no_s3

package blobio

import _ "gocloud.dev/blob/s3blob" // s3://

func init() { linked["s3"] = true }
