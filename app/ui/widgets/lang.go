package widgets

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/motcua/motcua/assets"
)

// DefaultLanguage is the language motcua shows unless configured otherwise.
const DefaultLanguage = "vi"

// Languages lists the translations shipped in assets/lang.
var Languages = []string{"vi", "en"}

// fyneBuiltin lists the languages Fyne 2.7 ships translations for. The
// localizer of fyne.io/fyne/v2/lang is chosen from the system locale among
// the loaded languages, and Fyne 2.7 has no call to override it (there is no
// SetPreferredLocale and no FYNE_LANG). To force a language we therefore load
// the chosen file under every tag the system locale can resolve to: the
// chosen code, each of Fyne's built-in languages, English (the fallback) and
// the system's own language. Whatever the system says, lang.L then finds our
// chosen translation. The files also translate Fyne's own strings (OK,
// Cancel, Yes, No, …) so dialogs follow the chosen language.
var fyneBuiltin = []string{"cs", "de", "el", "en", "es", "fr", "pl", "pt", "pt-BR", "ru", "sv", "ta", "uk", "zh", "zh-Hans"}

var (
	langMu  sync.Mutex
	current string
)

// SetLanguage makes code ("vi" or "en") the language of every lang.L call,
// regardless of the system locale. Call it before building any screen; the
// composition root calls it at start with DefaultLanguage or the configured
// language.
func SetLanguage(code string) error {
	langMu.Lock()
	defer langMu.Unlock()
	data, err := Translations(code)
	if err != nil {
		return err
	}
	tags := append([]string{code}, fyneBuiltin...)
	if sys := lang.SystemLocale().LanguageString(); sys != "" {
		tags = append(tags, sys)
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t] {
			continue
		}
		seen[t] = true
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(t)); err != nil {
			return fmt.Errorf("language %q as %s: %w", code, t, err)
		}
	}
	current = code
	return nil
}

// Translations returns every translation of language code as one JSON
// object: lang/<code>.json merged with each lang/<area>.<code>.json (one file
// per area of the application, so screens added side by side never edit the
// same file). A key defined twice is an error.
func Translations(code string) ([]byte, error) {
	entries, err := fs.ReadDir(assets.FS, "lang")
	if err != nil {
		return nil, fmt.Errorf("translations: %w", err)
	}
	merged := map[string]any{}
	found := false
	for _, e := range entries {
		name := e.Name()
		if name != code+".json" && !strings.HasSuffix(name, "."+code+".json") {
			continue
		}
		found = true
		var m map[string]any
		if err := json.Unmarshal(assets.MustRead("lang/"+name), &m); err != nil {
			return nil, fmt.Errorf("translations %s: %w", name, err)
		}
		for k, v := range m {
			if _, dup := merged[k]; dup {
				return nil, fmt.Errorf("translations %s: key %q defined twice", name, k)
			}
			merged[k] = v
		}
	}
	if !found {
		return nil, fmt.Errorf("language %q: no translations", code)
	}
	return json.Marshal(merged)
}

// Language is the code last passed to SetLanguage ("" before any call).
func Language() string {
	langMu.Lock()
	defer langMu.Unlock()
	return current
}

// T translates key with template data (a map or struct), for messages with
// placeholders such as "{{.Until}}".
func T(key string, data any) string {
	return lang.X(key, key, data)
}
