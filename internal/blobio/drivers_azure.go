//go:build !etl_no_azure

package blobio

import _ "gocloud.dev/blob/azureblob" // azblob://

func init() { linked["azblob"] = true }
