package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
)

func TestAccountsRoundTripAndAreAuditedWithoutTheHash(t *testing.T) {
	ctx := context.Background()
	clk := newClock(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	s := openTest(t, t.TempDir(), 0, clk.Now)

	if has, err := s.HasAccounts(ctx); err != nil || has {
		t.Fatalf("HasAccounts on a new store = %v, %v", has, err)
	}
	if _, err := s.Account(ctx, "lan"); !errors.Is(err, auth.ErrNotFound) {
		t.Fatalf("unknown login: %v, want auth.ErrNotFound", err)
	}
	const hash = "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHQ$aGFzaGhhc2g"
	lan := auth.Account{Login: "lan", FullName: "Trần Thị Lan", Role: auth.RoleClerk, PasswordHash: hash}
	if err := s.SaveAccount(WithActor(ctx, "admin"), lan); err != nil {
		t.Fatal(err)
	}
	got, err := s.Account(ctx, "lan")
	lan.CreatedAt, lan.UpdatedAt = clk.Now().UTC(), clk.Now().UTC()
	if err != nil || !reflect.DeepEqual(got, lan) {
		t.Fatalf("Account = %+v, %v; want %+v", got, err, lan)
	}

	clk.Set(clk.Now().Add(time.Hour))
	locked := got
	locked.Failed, locked.LockedUntil, locked.UpdatedAt = 5, clk.Now().Add(15*time.Minute).UTC(), time.Time{}
	if err := s.SaveAccount(ctx, locked); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Account(ctx, "lan")
	if got.Failed != 5 || !got.LockedUntil.Equal(locked.LockedUntil) || !got.CreatedAt.Equal(lan.CreatedAt) ||
		!got.UpdatedAt.Equal(clk.Now()) {
		t.Fatalf("after lock: %+v", got)
	}
	if err := s.SaveAccount(ctx, auth.Account{Login: "an", FullName: "Lê An", Role: auth.RoleLeader, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	all, err := s.Accounts(ctx)
	if err != nil || len(all) != 2 || all[0].Login != "an" || all[1].Login != "lan" {
		t.Fatalf("Accounts = %+v, %v", all, err)
	}
	if has, _ := s.HasAccounts(ctx); !has {
		t.Fatal("HasAccounts = false after saving two")
	}

	rows, err := s.r.Query(`SELECT actor, action, detail FROM audit ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var actors []string
	for rows.Next() {
		var actor, action, detail string
		rows.Scan(&actor, &action, &detail)
		actors = append(actors, actor+" "+action)
		if strings.Contains(detail, "argon2") || strings.Contains(detail, "Lan") || strings.Contains(detail, "Lê") {
			t.Errorf("audit detail %s carries the hash or a name", detail)
		}
	}
	if want := []string{"admin account.create", "lan account.update", "an account.create"}; !reflect.DeepEqual(actors, want) {
		t.Errorf("audit %v, want %v", actors, want)
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}
