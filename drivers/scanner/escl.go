package scanner

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ESCL is a network scanner speaking eSCL (AirScan).
type ESCL struct {
	BaseURL string       // e.g. http://192.168.1.40:80 (the "/eSCL" root is added)
	Client  *http.Client // nil = a client with a 60 s timeout
	// Wait pauses before asking again for a page that is not ready (503);
	// nil = 500 ms.
	Wait func(ctx context.Context) error
}

var _ Device = (*ESCL)(nil)

// MaxPageBytes bounds one downloaded page.
const MaxPageBytes = 64 << 20

// Capabilities is the part of /eSCL/ScannerCapabilities we use.
type Capabilities struct {
	MakeAndModel string `xml:"MakeAndModel"`
	SerialNumber string `xml:"SerialNumber"`
	Platen       *struct {
		Resolutions []int `xml:"PlatenInputCaps>SettingProfiles>SettingProfile>SupportedResolutions>DiscreteResolutions>DiscreteResolution>XResolution"`
	} `xml:"Platen"`
	Adf *struct {
		Duplex *struct{} `xml:"AdfDuplexInputCaps"`
	} `xml:"Adf"`
}

// HasFeeder and HasDuplex report the sources offered.
func (c Capabilities) HasFeeder() bool { return c.Adf != nil }
func (c Capabilities) HasDuplex() bool { return c.Adf != nil && c.Adf.Duplex != nil }

func (e *ESCL) client() *http.Client {
	if e.Client != nil {
		return e.Client
	}
	return &http.Client{Timeout: 60 * time.Second}
}

func (e *ESCL) url(path string) string {
	return strings.TrimRight(e.BaseURL, "/") + "/eSCL/" + strings.TrimLeft(path, "/")
}

func (e *ESCL) get(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := e.client().Do(req)
	if err != nil {
		return nil, kindErr(KindOffline, "escl: %w", err)
	}
	return resp, nil
}

// Capabilities asks the scanner what it offers.
func (e *ESCL) Capabilities(ctx context.Context) (Capabilities, error) {
	var c Capabilities
	resp, err := e.get(ctx, e.url("ScannerCapabilities"))
	if err != nil {
		return c, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return c, kindErr(KindOffline, "escl capabilities: %s", resp.Status)
	}
	if err := xml.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&c); err != nil {
		return c, fmt.Errorf("escl capabilities: %w", err)
	}
	return c, nil
}

// Status returns the scanner's state: Idle, Processing, Testing, Stopped,
// Down.
func (e *ESCL) Status(ctx context.Context) (string, error) {
	resp, err := e.get(ctx, e.url("ScannerStatus"))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var st struct {
		State string `xml:"State"`
	}
	if err := xml.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&st); err != nil {
		return "", fmt.Errorf("escl status: %w", err)
	}
	return st.State, nil
}

// ScanSettings renders the eSCL job request for o (A4, in 300ths of an
// inch, the unit eSCL regions use).
func ScanSettings(o Opts) []byte {
	src := "Platen"
	if o.Source == Feeder {
		src = "Feeder"
	}
	mode := "Grayscale8"
	if o.Colour {
		mode = "RGB24"
	}
	w, h := 2480, 3508 // A4
	if o.WidthMM > 0 && o.HeightMM > 0 {
		w, h = o.WidthMM*300*10/254, o.HeightMM*300*10/254
	}
	duplex := ""
	if o.Source == Feeder && o.Duplex {
		duplex = "\n  <scan:Duplex>true</scan:Duplex>"
	}
	return []byte(fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<scan:ScanSettings xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>2.63</pwg:Version>
  <scan:Intent>Document</scan:Intent>
  <pwg:ScanRegions pwg:MustHonor="false">
    <pwg:ScanRegion>
      <pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>
      <pwg:XOffset>0</pwg:XOffset>
      <pwg:YOffset>0</pwg:YOffset>
      <pwg:Width>%d</pwg:Width>
      <pwg:Height>%d</pwg:Height>
    </pwg:ScanRegion>
  </pwg:ScanRegions>
  <pwg:InputSource>%s</pwg:InputSource>
  <scan:ColorMode>%s</scan:ColorMode>
  <scan:XResolution>%d</scan:XResolution>
  <scan:YResolution>%d</scan:YResolution>
  <pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat>
  <scan:DocumentFormatExt>image/jpeg</scan:DocumentFormatExt>%s
</scan:ScanSettings>
`, w, h, src, mode, o.dpi(), o.dpi(), duplex))
}

// Scan creates a job and downloads its pages until the scanner says there
// are no more (404).
func (e *ESCL) Scan(ctx context.Context, o Opts) ([]Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url("ScanJobs"), bytes.NewReader(ScanSettings(o)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := e.client().Do(req)
	if err != nil {
		return nil, kindErr(KindOffline, "escl: %w", err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusCreated:
	case http.StatusServiceUnavailable:
		return nil, kindErr(KindBusy, "escl: scanner busy")
	case http.StatusConflict:
		return nil, kindErr(KindNoPaper, "escl: %s", resp.Status)
	default:
		return nil, fmt.Errorf("escl: create job: %s", resp.Status)
	}
	loc, err := resp.Location()
	if err != nil {
		return nil, fmt.Errorf("escl: job without location: %w", err)
	}
	base, _ := url.Parse(e.BaseURL)
	job := base.ResolveReference(loc).String()
	var pages []Page
	for busy := 0; ; {
		r, err := e.get(ctx, strings.TrimRight(job, "/")+"/NextDocument")
		if err != nil {
			return nil, err
		}
		switch r.StatusCode {
		case http.StatusOK:
			data, err := io.ReadAll(io.LimitReader(r.Body, MaxPageBytes))
			r.Body.Close()
			if err != nil {
				return nil, kindErr(KindOffline, "escl page: %w", err)
			}
			p, err := Import("page.jpg", data, o.dpi())
			if err != nil {
				return nil, err
			}
			for i := range p {
				p[i].DPI = float64(o.dpi())
			}
			pages = append(pages, p...)
			busy = 0
		case http.StatusNotFound, http.StatusGone:
			r.Body.Close()
			if len(pages) == 0 {
				return nil, kindErr(KindNoPaper, "escl: job ended without a page")
			}
			return pages, nil
		case http.StatusServiceUnavailable:
			r.Body.Close()
			busy++
			if busy > 120 {
				return nil, kindErr(KindBusy, "escl: page never became ready")
			}
			if err := e.wait(ctx); err != nil {
				return nil, err
			}
		default:
			r.Body.Close()
			return nil, fmt.Errorf("escl: next page: %s", r.Status)
		}
	}
}

func (e *ESCL) wait(ctx context.Context) error {
	if e.Wait != nil {
		return e.Wait(ctx)
	}
	t := time.NewTimer(500 * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
