package auth

// Role is what an account is for. An account has exactly one role.
type Role string

const (
	RoleClerk      Role = "clerk"      // cán bộ một cửa: receives and returns dossiers
	RoleLeader     Role = "leader"     // lãnh đạo: oversees, reports, accounts, settings
	RoleTechnician Role = "technician" // kỹ thuật viên: devices, settings, backups; no personal data
	RoleKiosk      Role = "kiosk"      // the kiosk's own account; reads only through its narrow interface
	RoleReviewer   Role = "reviewer"   // reviewer at the district/province: reads dossiers and reports
)

// Roles lists every role.
var Roles = []Role{RoleClerk, RoleLeader, RoleTechnician, RoleKiosk, RoleReviewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	_, ok := grants[r]
	return ok
}

// Permission is one thing an account may do.
type Permission string

const (
	PermDossierReceive    Permission = "dossier.receive"
	PermDossierView       Permission = "dossier.view"
	PermDossierSearch     Permission = "dossier.search"
	PermDossierSupplement Permission = "dossier.supplement"
	PermDossierRefuse     Permission = "dossier.refuse"
	PermDossierReturn     Permission = "dossier.return"
	// Lifecycle after reception (internal/reception/lifecycle.go).
	PermDossierProcess         Permission = "dossier.process"          // start, transfer, result, withdraw
	PermDossierStop            Permission = "dossier.stop"             // stop processing
	PermDossierApology         Permission = "dossier.apology"          // form 04, once per dossier
	PermDossierApologyOverride Permission = "dossier.apology.override" // a further apology
	PermReportView             Permission = "report.view"
	PermSettingsEdit           Permission = "settings.edit"
	PermAccountManage          Permission = "account.manage"
	PermDeviceDiagnose         Permission = "device.diagnose"
	PermBackupRun              Permission = "backup.run"
)

// Permissions lists every permission.
var Permissions = []Permission{PermDossierReceive, PermDossierView, PermDossierSearch,
	PermDossierSupplement, PermDossierRefuse, PermDossierReturn, PermDossierProcess, PermDossierStop,
	PermDossierApology, PermDossierApologyOverride, PermReportView, PermSettingsEdit, PermAccountManage, PermDeviceDiagnose, PermBackupRun}

// grants is the one table of who may do what. Anything not listed is denied.
// docs/security.md shows the same table; change both together.
var grants = map[Role]map[Permission]bool{
	// Refusing and stopping are the leader's decisions (issue 4); the clerk
	// carries the dossier through its daily steps.
	RoleClerk: set(PermDossierReceive, PermDossierView, PermDossierSearch, PermDossierSupplement,
		PermDossierReturn, PermDossierProcess, PermDossierApology, PermReportView),
	RoleLeader: set(PermDossierView, PermDossierSearch, PermDossierRefuse, PermDossierStop,
		PermDossierApology, PermDossierApologyOverride, PermReportView,
		PermSettingsEdit, PermAccountManage, PermBackupRun),
	// The technician installs and repairs; dossiers hold personal data, so
	// no dossier.* and no reports (reports list applicants).
	RoleTechnician: set(PermSettingsEdit, PermDeviceDiagnose, PermBackupRun),
	// The kiosk shows a citizen the status of a dossier by its code, masked,
	// through a separate narrow interface: it holds no permission here.
	RoleKiosk:    set(),
	RoleReviewer: set(PermDossierView, PermDossierSearch, PermReportView),
}

func set(ps ...Permission) map[Permission]bool {
	m := make(map[Permission]bool, len(ps))
	for _, p := range ps {
		m[p] = true
	}
	return m
}

// Can reports whether role r grants permission p. Unknown roles and unknown
// permissions are denied.
func (r Role) Can(p Permission) bool { return grants[r][p] }
