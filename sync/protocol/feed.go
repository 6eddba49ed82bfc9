package protocol

import (
	"encoding/json"
	"time"
)

// Feed kinds of what the hub publishes to offices (besides dossiers and
// decisions). The change's payload is a Publication.
const (
	ChangeCatalog  = "catalog.version" // Key "catalog"; Data: the catalog JSON (internal/catalog.Parse)
	ChangeHolidays = "holidays.year"   // Key: the year; Data: the year table JSON (calendar.ParseYearTable)
	ChangeAccount  = "account"         // Key: the login; Data: AccountData
)

// Publication is one item the hub publishes to one office or to all. ID
// grows with every publication, so a device keeps, per (Kind, Key), the
// item with the highest ID and ignores older or repeated ones.
type Publication struct {
	ID     int64           `json:"id"`
	Kind   string          `json:"kind"`
	Key    string          `json:"key"`
	Office string          `json:"office,omitempty"` // "" for every office
	Data   json.RawMessage `json:"data"`
	By     string          `json:"by"`
	At     time.Time       `json:"at"`
}

// AccountData is an office staff account made or changed at the hub. The
// password travels only as its argon2id hash; an empty hash keeps the
// device's (a change of name, role or of Disabled only).
type AccountData struct {
	Login        string `json:"login"`
	FullName     string `json:"full_name"`
	Role         string `json:"role"`
	PasswordHash string `json:"password_hash,omitempty"`
	Disabled     bool   `json:"disabled"`
}
