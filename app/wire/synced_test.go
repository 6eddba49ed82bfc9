package wire_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/store"
)

func TestHolidayTablesAndACatalogFromTheHubAreUsedAtTheNextStart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env, err := wire.Open(ctx, dir, wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2027, 3, 10, 9, 0, 0, 0, calendar.VN) // a Wednesday
	if !env.Calendar.IsWorkingDay(day) {
		t.Fatal("10/3/2027 is off before any table")
	}
	cat, err := json.Marshal(env.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	items := []store.FeedItem{
		{Kind: store.ItemHolidays, Key: "2027", ID: 3, Data: json.RawMessage(`{"year":2027,"holidays":[{"date":"2027-03-10","name":"Nghỉ theo quyết định của tỉnh"}]}`)},
		{Kind: store.ItemCatalog, Key: "catalog", ID: 4, Data: cat},
	}
	for _, it := range items {
		if ok, err := env.Store.ApplyFeedItem(ctx, it); err != nil || !ok {
			t.Fatalf("apply %s: %v %v", it.Kind, ok, err)
		}
	}
	env.Close()
	env, err = wire.Open(ctx, dir, wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if env.Calendar.IsWorkingDay(day) {
		t.Fatal("the published table is not used")
	}
	if tab, ok := env.Calendar.Table(2027); !ok || len(tab.Holidays) != 1 {
		t.Fatalf("table 2027: %+v", tab)
	}
	if env.Catalog == nil || len(env.Catalog.All()) == 0 {
		t.Fatal("the published catalog is empty")
	}
}
