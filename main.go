// Command motcua is the one-stop reception application for Vietnam's commune
// and ward offices: counter, kiosk and review modes, and the technician's CLI.
package main

import (
	"os"

	"github.com/motcua/motcua/app"
)

func main() { os.Exit(app.Main(os.Args[1:])) }
