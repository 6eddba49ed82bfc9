// Package technician is the technician's screen ("Sao lưu & cấu hình"):
// back up now with progress, list the backups of the backup folder, verify
// one, restore one (into a new folder beside the data, switched in when
// motcua starts again; confirmed twice), the daily backup's settings
// (folder, e.g. a USB drive, time, number kept), and the provisioning
// bundles (export a signed bundle for the next device, apply one).
//
// Everything goes through Service; EnvService implements it over app/wire
// and internal/backup with real files. Long operations run through
// widgets.Tasks and apply their result inside fyne.Do. Errors are shown in
// plain Vietnamese (message.go) and lose nothing: a refused restore or
// bundle leaves the data as it was.
package technician
