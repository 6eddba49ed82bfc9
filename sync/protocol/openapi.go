package protocol

import _ "embed"

// OpenAPI is the OpenAPI 3 document of the hub's API, served at /openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
