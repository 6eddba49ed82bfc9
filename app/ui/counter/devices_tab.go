package counter

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"github.com/motcua/motcua/app/ui/devices"
	"github.com/motcua/motcua/internal/auth"
)

// addDevicesTab adds the technician's devices tab when the composition root
// gave a DeviceAdmin service.
func (c *Counter) addDevicesTab() {
	if c.svc.DeviceAdmin == nil {
		return
	}
	c.DevicesScreen = devices.New(c.win, c.svc.DeviceAdmin, &c.Tasks)
	c.Tabs.Append(container.NewTabItemWithIcon(lang.L("devices.nav"), theme.SettingsIcon(), c.DevicesScreen.Content()))
}

// devicesTab is the index of the devices tab, -1 if none.
func (c *Counter) devicesTab() int {
	if c.DevicesScreen == nil {
		return -1
	}
	return c.tabOf(c.DevicesScreen.Content())
}

// devicesLoggedIn opens the devices tab to accounts that may diagnose devices
// (the technician) and keeps it closed to others.
func (c *Counter) devicesLoggedIn() {
	if c.DevicesScreen == nil {
		return
	}
	i, open := c.gateTab(c.DevicesScreen.Content(), auth.PermDeviceDiagnose, c.DevicesScreen.Load)
	if open && !c.canReceive() && !c.account.Role.Can(auth.PermReportView) {
		c.Tabs.SelectIndex(i)
	}
}

// ShowDevices switches to the devices tab.
func (c *Counter) ShowDevices() {
	if i := c.devicesTab(); i >= 0 && c.account.Role.Can(auth.PermDeviceDiagnose) {
		c.Tabs.SelectIndex(i)
		c.DevicesScreen.Load()
	}
}
