package counter

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"github.com/motcua/motcua/app/ui/technician"
	"github.com/motcua/motcua/internal/auth"
)

// addTechnicianTab adds the backup and provisioning tab when the
// composition root gave a Technician service.
func (c *Counter) addTechnicianTab() {
	if c.svc.Technician == nil {
		return
	}
	c.TechnicianScreen = technician.New(c.win, c.svc.Technician, &c.Tasks)
	c.Tabs.Append(container.NewTabItemWithIcon(lang.L("tech.nav"), theme.StorageIcon(), c.TechnicianScreen.Content()))
}

// technicianTab is the index of the backup and provisioning tab, -1 if none.
func (c *Counter) technicianTab() int {
	if c.TechnicianScreen == nil {
		return -1
	}
	return c.tabOf(c.TechnicianScreen.Content())
}

// technicianLoggedIn opens the tab to accounts that may run backups (the
// technician, the leader) and keeps it closed to others.
func (c *Counter) technicianLoggedIn() {
	if c.TechnicianScreen != nil {
		c.gateTab(c.TechnicianScreen.Content(), auth.PermBackupRun, c.TechnicianScreen.Load)
	}
}

// ShowTechnician switches to the backup and provisioning tab.
func (c *Counter) ShowTechnician() {
	if i := c.technicianTab(); i >= 0 && c.account.Role.Can(auth.PermBackupRun) {
		c.Tabs.SelectIndex(i)
		c.TechnicianScreen.Load()
	}
}
