package protocol

import (
	"encoding/json"
	"time"
)

// API paths. Every path but /openapi.yaml, /metrics, /v1/health and
// /v1/enrol must be signed (see Sign).
const (
	PathOpenAPI  = "/openapi.yaml"
	PathMetrics  = "/metrics"
	PathHealth   = "/v1/health"
	PathEnrol    = "/v1/enrol"
	PathPush     = "/v1/events"
	PathFeed     = "/v1/feed"
	PathFiles    = "/v1/files/"          // tus creation (POST) and uploads (HEAD/PATCH /v1/files/{id})
	PathBlobs    = "/v1/blobs/"          // HEAD /v1/blobs/{sha256}: 200 when the hub holds the file
	PathReview   = "/v1/review/dossiers" // reviewer API (GET list, GET /{code}, POST /{code}/decision)
	MaxBatch     = 1000                  // events per push
	MaxPushBytes = 16 << 20              // decompressed push body
)

// Event kinds pushed by devices.
const (
	KindReceived = "dossier.received"
)

// Change kinds in the feed.
const (
	ChangeReceived = "dossier.received" // a dossier received by one of the office's devices
	ChangeEvent    = "dossier.event"    // any later event of a dossier pushed by a device
	ChangeDecision = "dossier.decision" // a reviewer's decision on one of the office's dossiers
)

// EnrolRequest registers a device's public key with a one-time token.
type EnrolRequest struct {
	Token     string `json:"token"`
	PublicKey []byte `json:"public_key"` // Ed25519, 32 bytes (base64 in JSON)
	Name      string `json:"name,omitempty"`
	Slot      int    `json:"slot,omitempty"`
}

// EnrolResponse names the device's identity at the hub.
type EnrolResponse struct {
	DeviceID   string `json:"device_id"`
	Office     string `json:"office"`
	OfficeName string `json:"office_name"`
}

// Event is one outbox event of a device.
type Event struct {
	UUID      string          `json:"uuid"`
	Dossier   string          `json:"dossier"` // dossier code, e.g. 000.00.06.H56-231027-0361
	Seq       int             `json:"seq"`     // 1, 2, … per dossier
	Kind      string          `json:"kind"`
	Payload   json.RawMessage `json:"payload"`
	CreatedAt time.Time       `json:"created_at"`
}

// PushRequest is a batch of events; sent gzip-compressed
// (Content-Encoding: gzip).
type PushRequest struct {
	Events []Event `json:"events"`
}

// Result statuses of one pushed event.
const (
	Applied   = "applied"   // stored now
	Duplicate = "duplicate" // stored before: acknowledged, not applied again
	Gap       = "gap"       // an earlier event of its dossier is missing: send Expect first
	Rejected  = "rejected"  // can never succeed (wrong office, conflicting sequence, bad payload)
)

// Result is the hub's answer for one event.
type Result struct {
	UUID   string `json:"uuid"`
	Status string `json:"status"`
	Expect int    `json:"expect,omitempty"` // for Gap: the sequence the hub waits for
	Code   string `json:"code,omitempty"`   // for Rejected: a machine-readable reason
	Error  string `json:"error,omitempty"`
}

// PushResponse answers a PushRequest, one result per event in order.
type PushResponse struct {
	Results []Result `json:"results"`
}

// Change is one entry of an office's change feed.
type Change struct {
	Cursor  int64           `json:"cursor"`
	Kind    string          `json:"kind"`
	Dossier string          `json:"dossier,omitempty"`
	Origin  string          `json:"origin,omitempty"` // device id that caused it, "" for the hub
	At      time.Time       `json:"at"`
	Payload json.RawMessage `json:"payload"`
}

// FeedResponse is a page of the feed after the cursor the client sent.
// Cursor is the position to ask from next time.
type FeedResponse struct {
	Changes []Change `json:"changes"`
	Cursor  int64    `json:"cursor"`
	More    bool     `json:"more"`
}

// Outcomes of a reviewer's decision.
const (
	OutcomeProcessing = "processing" // accepted into processing (status 4)
	OutcomeSupplement = "supplement" // supplement requested (status 5)
	OutcomeDone       = "done"       // done with a result (status 9)
	OutcomeRefused    = "refused"    // refused (status 3)
)

// OutcomeStatus maps an outcome to the portal status it leads to; 0 for an
// unknown outcome.
func OutcomeStatus(outcome string) int {
	switch outcome {
	case OutcomeProcessing:
		return 4
	case OutcomeSupplement:
		return 5
	case OutcomeDone:
		return 9
	case OutcomeRefused:
		return 3
	}
	return 0
}

// Decision is a reviewer's decision on a dossier; it reaches the office as
// the payload of a ChangeDecision.
type Decision struct {
	ID        string    `json:"id"`
	Dossier   string    `json:"dossier"`
	Outcome   string    `json:"outcome"`
	Status    int       `json:"status"`
	Note      string    `json:"note,omitempty"`
	Result    string    `json:"result,omitempty"` // for done: what the result is
	Items     []string  `json:"items,omitempty"`  // for supplement: the papers to add or correct
	Reason    string    `json:"reason,omitempty"` // for supplement and refused: why
	DecidedBy string    `json:"decided_by"`
	At        time.Time `json:"at"`
}

// DecideRequest is what a reviewer posts.
type DecideRequest struct {
	Outcome string   `json:"outcome"`
	Note    string   `json:"note,omitempty"`
	Result  string   `json:"result,omitempty"`
	Items   []string `json:"items,omitempty"`  // for supplement: the papers to add or correct
	Reason  string   `json:"reason,omitempty"` // for supplement and refuse: why
}

// DossierSummary is a row of the reviewer's list.
type DossierSummary struct {
	Code       string    `json:"code"`
	Office     string    `json:"office"`
	Status     int       `json:"status"`
	Procedure  string    `json:"procedure"`
	ReceivedAt time.Time `json:"received_at"`
	DueAt      time.Time `json:"due_at,omitzero"`
	Overdue    bool      `json:"overdue"`
	Files      int       `json:"files"`
	FilesHeld  int       `json:"files_held"`
}

// DossierDetail is one dossier as the hub holds it.
type DossierDetail struct {
	DossierSummary
	Payload   json.RawMessage `json:"payload"`
	Events    []Event         `json:"events"`
	Decisions []Decision      `json:"decisions"`
	FileList  []FileInfo      `json:"file_list"`
}

// FileInfo names one file of a dossier and whether the hub holds it.
type FileInfo struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Held   bool   `json:"held"`
}

// ListResponse is the reviewer's list.
type ListResponse struct {
	Dossiers []DossierSummary `json:"dossiers"`
}

// Error is the body of every 4xx and 5xx answer.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error codes.
const (
	ErrUnsigned     = "unsigned"
	ErrBadSignature = "bad_signature"
	ErrSkew         = "clock_skew"
	ErrReplay       = "replay"
	ErrUnknown      = "unknown_device"
	ErrRevoked      = "revoked" // the device was enrolled and then revoked at the hub
	ErrForbidden    = "forbidden"
	ErrBadRequest   = "bad_request"
	ErrBadToken     = "bad_token"
	ErrNotFound     = "not_found"
	ErrChecksum     = "checksum_mismatch"
	ErrConflict     = "conflict"
	ErrInternal     = "internal"
	ErrTooLarge     = "too_large"
)

// tus 1.0 header names and values.
const (
	TusVersion         = "1.0.0"
	HeaderTusResumable = "Tus-Resumable"
	HeaderUploadOffset = "Upload-Offset"
	HeaderUploadLength = "Upload-Length"
	HeaderUploadMeta   = "Upload-Metadata"
	HeaderChecksum     = "Upload-Checksum"
	TusExtensions      = "creation,creation-with-upload,checksum,termination"
	TusChecksumAlgos   = "sha256"
	ChunkSize          = 1 << 20 // the client's PATCH size
	StatusChecksum     = 460     // tus checksum extension: Checksum Mismatch
)
