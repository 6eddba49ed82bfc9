package hub

import (
	"context"
	"errors"
	"time"

	"github.com/motcua/motcua/sync/protocol"
)

// Errors of Store methods.
var (
	ErrNotFound  = errors.New("not found")
	ErrExists    = errors.New("already exists")
	ErrBadToken  = errors.New("enrolment token unknown, used or expired")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
)

// Device roles.
const (
	RoleDevice   = "device"   // a counter or a kiosk of one office
	RoleRelay    = "relay"    // an office relay: pushes for its office, as a device does
	RoleReviewer = "reviewer" // a provincial reviewer: reads every office, decides
)

// Office is a commune office; its code is the agency electronic id that
// starts its dossier codes.
type Office struct {
	Code, Name string
	CreatedAt  time.Time
}

// Device is an enrolled key.
type Device struct {
	ID         string
	Office     string // "" for a reviewer
	PublicKey  []byte
	Name       string
	Role       string
	EnrolledAt time.Time
	Revoked    bool
}

// Upload is a tus upload in progress or finished.
type Upload struct {
	ID        string
	Device    string
	SHA256    string
	Length    int64
	Offset    int64
	Done      bool
	CreatedAt time.Time
}

// ReviewFilter selects dossiers for the reviewer's list.
type ReviewFilter struct {
	Office  string
	Status  int
	Overdue bool
	Limit   int
	Now     time.Time
}

// OfficeStats are per-office figures for /metrics.
type OfficeStats struct {
	Office     string
	Dossiers   int64
	Events     int64
	LastPushAt time.Time
	// LagSeconds is, for the newest applied event, how long it waited on
	// the device (applied_at - created_at).
	LagSeconds float64
}

// Store is where the hub keeps offices, devices, dossiers, events, files'
// metadata, uploads and the change feed. Two implementations run the same
// test suite: SQLite (OpenSQLite, the default) and PostgreSQL
// (OpenPostgres). File contents live on disk beside it (see Server).
type Store interface {
	CreateOffice(ctx context.Context, o Office) error
	Office(ctx context.Context, code string) (Office, error)
	Offices(ctx context.Context) ([]Office, error)

	// CreateToken stores a one-time enrolment token (by its SHA-256) for an
	// office and a role, valid until expires.
	CreateToken(ctx context.Context, tokenHash, office, role string, expires time.Time) error
	// Enrol consumes the token and registers d (its Office and Role come
	// from the token). ErrBadToken for an unknown, used or expired token.
	Enrol(ctx context.Context, tokenHash string, d Device, now time.Time) (Device, error)
	// AddDevice registers a device without a token (reviewers created by
	// the CLI on the hub's own machine).
	AddDevice(ctx context.Context, d Device) error
	Device(ctx context.Context, id string) (Device, error)
	// Devices lists the devices of office ("" for all), revoked ones too.
	Devices(ctx context.Context, office string) ([]Device, error)
	// RevokeDevice refuses the device's requests from now on (revoke.go).
	RevokeDevice(ctx context.Context, id string) error
	// RevokeToken makes an unused enrolment token unusable; ErrNotFound if
	// no unused token has this hash.
	RevokeToken(ctx context.Context, tokenHash string, now time.Time) error
	// RevokeOfficeTokens makes every unused token of office unusable and
	// returns how many there were.
	RevokeOfficeTokens(ctx context.Context, office string, now time.Time) (int, error)

	// UseNonce records a request nonce; false if the device used it before
	// (a replay). Nonces older than before are forgotten.
	UseNonce(ctx context.Context, device, nonce string, at, before time.Time) (bool, error)

	// Apply applies a batch of events pushed by device of office, each
	// exactly once and in order per dossier, and appends their feed
	// changes, in one transaction.
	Apply(ctx context.Context, dev Device, events []protocol.Event, now time.Time) ([]protocol.Result, error)
	// Feed returns up to limit changes of office after cursor.
	Feed(ctx context.Context, office string, after int64, limit int) ([]protocol.Change, error)

	CreateUpload(ctx context.Context, u Upload) (Upload, error) // returns the existing unfinished upload of (device, sha) if any
	Upload(ctx context.Context, id string) (Upload, error)
	SetUploadOffset(ctx context.Context, id string, offset int64) error
	// FinishUpload marks the upload done and registers the file.
	FinishUpload(ctx context.Context, id string, now time.Time) error
	DeleteUpload(ctx context.Context, id string) error
	HasFile(ctx context.Context, sha string) (bool, int64, error)

	ListDossiers(ctx context.Context, f ReviewFilter) ([]protocol.DossierSummary, error)
	Dossier(ctx context.Context, code string) (protocol.DossierDetail, error)
	// Decide records a decision and appends it to the dossier's office feed.
	Decide(ctx context.Context, d protocol.Decision) (protocol.Decision, error)

	Stats(ctx context.Context) ([]OfficeStats, error)
	ReviewStore // accounts, sessions, audit, queues, dashboard, portal export (review_store.go)
	FeedStore   // publications to offices, metrics counters, upload cleanup (feed.go)
	RelayStore  // an office relay's forwarding state (relay_store.go)
	Close() error
}
