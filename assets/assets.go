// Package assets embeds the files motcua ships inside its binary: fonts, the
// default procedure catalog, the holiday seed, translations and icons.
package assets

import "embed"

// FS holds every embedded asset, addressed by its path below assets/.
//
//go:embed fonts catalog lang
var FS embed.FS

// MustRead returns the embedded file at path, panicking if it is missing: an
// absent asset is a build defect, not a run-time condition.
func MustRead(path string) []byte {
	b, err := FS.ReadFile(path)
	if err != nil {
		panic("assets: " + err.Error())
	}
	return b
}
