package wire

import (
	"context"
	"log/slog"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/store"
)

// syncedCatalogAndHolidays applies what the hub published (issue 6): the
// newest catalog received replaces the embedded one, and each year table
// received overrides the Labour Code rules for its year. An item that no
// longer parses (it was checked when it arrived) is logged and skipped; the
// embedded catalog and the rules stay. A catalog received while running is
// used from the next start; holiday tables also apply at once (the sync
// client's OnItem).
func syncedCatalogAndHolidays(ctx context.Context, st *store.Store, cat *catalog.Catalog, cal *calendar.Calendar, log *slog.Logger) (*catalog.Catalog, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cats, err := st.SyncedItems(ctx, store.ItemCatalog)
	if err != nil {
		return nil, err
	}
	for _, it := range cats {
		if c, err := catalog.Parse(it.Data); err == nil {
			cat = c
		} else {
			log.Warn("published catalog unusable", "id", it.ID, "err", err.Error())
		}
	}
	tabs, err := st.SyncedItems(ctx, store.ItemHolidays)
	if err != nil {
		return nil, err
	}
	for _, it := range tabs {
		if t, err := calendar.ParseYearTable(it.Data); err == nil {
			cal.SetTable(t)
		} else {
			log.Warn("published holiday table unusable", "year", it.Key, "err", err.Error())
		}
	}
	return cat, nil
}
