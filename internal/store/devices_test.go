package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func TestDeviceSettings(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "data"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t.Run("a new device has no devices configured", func(t *testing.T) {
		d, err := st.DeviceSettings(ctx)
		if err != nil || d != (DeviceSettings{}) {
			t.Fatalf("%+v, %v", d, err)
		}
	})
	t.Run("saved settings read back", func(t *testing.T) {
		want := DeviceSettings{
			CardReader: CardReaderSettings{Port: "/dev/ttyACM0", Baud: 115200},
			Scanner:    ScannerSettings{Kind: "escl", URL: "http://127.0.0.1:8080", DPI: 200, Feeder: true},
			Thermal:    ThermalSettings{URI: "tcp://127.0.0.1:9100", Width: 80},
		}
		if err := st.SaveDeviceSettings(ctx, want, "kythuat"); err != nil {
			t.Fatal(err)
		}
		got, err := st.DeviceSettings(ctx)
		if err != nil || got != want {
			t.Fatalf("%+v, %v", got, err)
		}
	})
	t.Run("an eSCL scanner without URL is refused", func(t *testing.T) {
		err := st.SaveDeviceSettings(ctx, DeviceSettings{Scanner: ScannerSettings{Kind: "escl"}}, "kythuat")
		if !errors.Is(err, ErrInvalidSettings) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a 70 mm thermal roll is refused", func(t *testing.T) {
		err := st.SaveDeviceSettings(ctx, DeviceSettings{Thermal: ThermalSettings{Width: 70}}, "kythuat")
		if !errors.Is(err, ErrInvalidSettings) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("the office settings are not disturbed by the devices key", func(t *testing.T) {
		if _, err := st.Settings(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
