package auth

import (
	"strings"
	"testing"
)

func TestRoleCan(t *testing.T) {
	// Written out in full, independently of the grants table, so that a
	// change to either shows up here.
	want := map[Role]string{
		RoleClerk: "dossier.receive dossier.view dossier.search dossier.supplement dossier.return dossier.process " +
			"dossier.apology report.view",
		RoleLeader: "dossier.view dossier.search dossier.refuse dossier.stop dossier.apology dossier.apology.override " +
			"report.view settings.edit account.manage backup.run",
		RoleTechnician: "settings.edit device.diagnose backup.run",
		RoleKiosk:      "",
		RoleReviewer:   "dossier.view dossier.search report.view",
	}
	for _, r := range Roles {
		allowed := map[Permission]bool{}
		for _, p := range strings.Fields(want[r]) {
			allowed[Permission(p)] = true
		}
		for _, p := range Permissions {
			t.Run(string(r)+" "+string(p), func(t *testing.T) {
				if got := r.Can(p); got != allowed[p] {
					t.Fatalf("%s.Can(%s) = %v, want %v", r, p, got, allowed[p])
				}
			})
		}
	}
}

func TestTechnicianCannotTouchPersonalData(t *testing.T) {
	for _, p := range Permissions {
		if (strings.HasPrefix(string(p), "dossier.") || p == PermReportView) && RoleTechnician.Can(p) {
			t.Errorf("technician can %s", p)
		}
	}
}

func TestUnknownRolesAndPermissionsAreDenied(t *testing.T) {
	if Role("admin").Valid() || Role("").Valid() {
		t.Error("unknown role is valid")
	}
	for _, r := range []Role{"admin", "", "Clerk"} {
		for _, p := range Permissions {
			if r.Can(p) {
				t.Errorf("unknown role %q can %s", r, p)
			}
		}
	}
	for _, r := range Roles {
		if !r.Valid() {
			t.Errorf("%s not valid", r)
		}
		if r.Can("dossier.delete") || r.Can("") {
			t.Errorf("%s can an unknown permission", r)
		}
	}
}
