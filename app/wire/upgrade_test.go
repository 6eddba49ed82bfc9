package wire_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/store"
)

// oldStore makes the data directory a motcua with only migration 0001 left:
// its schema (read from the migration file), its migration record, the
// office settings and one dossier with its search row.
func oldStore(t *testing.T, dir string) {
	t.Helper()
	schema, err := os.ReadFile("../../internal/store/migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.DBFile)+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmts := []string{
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`,
		string(schema),
		`INSERT INTO schema_migrations VALUES (1, '0001_init.sql', 1763870000000)`,
		`INSERT INTO settings VALUES ('agency_id', '000.00.06.H56'), ('agency_name', 'UBND phường Ba Đình'),
			('device_slot', '1'), ('provisioned', 'true')`,
		`INSERT INTO dossiers VALUES (1, '000.00.06.H56-251120-1001', '000.00.06.H56', '2025-11-20', 1001, '1.001612',
			'Chứng thực bản sao', '2025.07', 'Lê Thị Hoa', 'le thi hoa', '001190012345', NULL, 2, 'Hà Nội', '0912345678',
			'0912345678', '', 1, 0, 'Trong ngày', 1763600000000, 1763630000000, 2, 1, 1, '', 'canbo', 1, '', 1763600000000)`,
		`INSERT INTO dossier_fts (rowid, code, name_folded, id_number, phone_digits)
			VALUES (1, '000.00.06.H56-251120-1001', 'le thi hoa', '001190012345', '0912345678')`,
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%.60s: %v", s, err)
		}
	}
}

func TestAnOlderStoreIsBackedUpBeforeItsMigrationsRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	oldStore(t, dir)
	pending, err := store.PendingMigrations(ctx, dir)
	if err != nil || len(pending) == 0 || pending[0].Version == 1 {
		t.Fatalf("pending migrations of a 0001 store: %v, %v", pending, err)
	}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, calendar.VN)
	env, err := wire.Open(ctx, dir, wire.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()

	// The store is migrated and still holds the old dossier.
	if p, _ := store.PendingMigrations(ctx, dir); len(p) != 0 {
		t.Fatalf("still pending after Open: %v", p)
	}
	if d, err := env.Store.DossierByCode(ctx, "000.00.06.H56-251120-1001"); err != nil || d.Applicant.FullName != "Lê Thị Hoa" {
		t.Fatalf("old dossier after the upgrade: %v, %v", d, err)
	}
	// The backup was taken first, of schema 1, and is in the backup log.
	ents, _ := os.ReadDir(wire.BackupDir(dir))
	if len(ents) != 1 || !strings.HasSuffix(ents[0].Name(), "-pre-upgrade.tar.gz") {
		t.Fatalf("backups folder: %v", ents)
	}
	archive := filepath.Join(wire.BackupDir(dir), ents[0].Name())
	m, err := backup.Verify(ctx, archive)
	if err != nil || m.SchemaVersion != 1 || m.Dossiers != 1 || m.Kind != "pre-upgrade" {
		t.Fatalf("pre-upgrade archive: %+v, %v", m, err)
	}
	log, err := env.Store.Backups(ctx, 5)
	if err != nil || len(log) != 1 || log[0].Kind != "pre-upgrade" || log[0].SchemaVersion != 1 {
		t.Fatalf("backup log: %+v, %v", log, err)
	}
	// The old backup restores with this version, which upgrades it again.
	rep, err := backup.Restore(ctx, archive, filepath.Join(t.TempDir(), "restored"), nil)
	if err != nil || rep.Dossiers != 1 || rep.SchemaVersion != store.SchemaVersion {
		t.Fatalf("restore of the pre-upgrade backup: %+v, %v", rep, err)
	}
	// A second start has nothing to migrate and takes no backup.
	env.Close()
	env2, err := wire.Open(ctx, dir, wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer env2.Close()
	if ents, _ := os.ReadDir(wire.BackupDir(dir)); len(ents) != 1 {
		t.Fatalf("a start with nothing to migrate made a backup: %v", ents)
	}
}

func TestANewDataDirectoryNeedsNoBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env, err := wire.Open(ctx, dir, wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	env.Close()
	if _, err := os.Stat(wire.BackupDir(dir)); !os.IsNotExist(err) {
		t.Fatalf("a new data directory got a backups folder: %v", err)
	}
}
