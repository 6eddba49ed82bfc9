package kiosk_test

import (
	"os"
	"testing"

	"github.com/motcua/motcua/app/ui/widgets"
)

func TestMain(m *testing.M) {
	if err := widgets.SetLanguage("vi"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
