package counter

import (
	"fyne.io/fyne/v2"

	"github.com/motcua/motcua/internal/auth"
)

// tabOf is the index of the tab showing content, -1 if none.
func (c *Counter) tabOf(content fyne.CanvasObject) int {
	for i, it := range c.Tabs.Items {
		if it.Content == content {
			return i
		}
	}
	return -1
}

// gateTab opens the tab showing content to accounts with perm, loading it,
// and keeps it closed to others. It returns the tab's index (-1 if there is
// none) and whether it is open.
func (c *Counter) gateTab(content fyne.CanvasObject, perm auth.Permission, load func()) (int, bool) {
	i := c.tabOf(content)
	if i < 0 {
		return i, false
	}
	if !c.account.Role.Can(perm) {
		c.Tabs.DisableIndex(i)
		return i, false
	}
	c.Tabs.EnableIndex(i)
	load()
	return i, true
}
