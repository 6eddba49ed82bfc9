package idcard

import "strings"

// MaxFrame bounds one frame; longer runs without a terminator are garbage
// (a reader at the wrong baud rate) and are dropped.
const MaxFrame = 4096

// Framer cuts the byte stream of a card reader into frames. A frame ends at
// CR, LF or ETX; an STX starts a new one (readers configured for STX/ETX
// framing). MRZ readers send the three lines of a TD1 zone separated by CR:
// the Framer joins three consecutive 30-character MRZ lines into one frame.
type Framer struct {
	buf      []byte
	mrz      []string
	overflow bool
}

// Feed adds bytes read from the port and returns the frames they complete,
// and how many garbage frames (overlong runs) were dropped.
func (f *Framer) Feed(p []byte) (frames []string, dropped int) {
	for _, c := range p {
		switch c {
		case 0x02: // STX
			f.buf = f.buf[:0]
			f.overflow = false
		case '\r', '\n', 0x03: // CR, LF, ETX
			if f.overflow {
				dropped++
				f.overflow = false
				f.buf = f.buf[:0]
				continue
			}
			if len(f.buf) == 0 {
				continue
			}
			line := string(f.buf)
			f.buf = f.buf[:0]
			frames = append(frames, f.line(line)...)
		default:
			if f.overflow {
				continue
			}
			if len(f.buf) >= MaxFrame {
				f.overflow = true
				f.buf = f.buf[:0]
				continue
			}
			f.buf = append(f.buf, c)
		}
	}
	return frames, dropped
}

// line handles one complete line: MRZ lines are held until three arrived.
func (f *Framer) line(l string) []string {
	t := strings.TrimSpace(l)
	if len(t) == mrzLineLen && isMRZChars(t) {
		f.mrz = append(f.mrz, t)
		if len(f.mrz) == mrzLines3 {
			out := strings.Join(f.mrz, "\n")
			f.mrz = nil
			return []string{out}
		}
		return nil
	}
	var out []string
	if len(f.mrz) > 0 { // an incomplete MRZ followed by something else
		out = append(out, strings.Join(f.mrz, "\n"))
		f.mrz = nil
	}
	return append(out, l)
}

// Reset drops a partial frame (after a reconnect).
func (f *Framer) Reset() {
	f.buf, f.mrz, f.overflow = f.buf[:0], nil, false
}

func isMRZChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '<') {
			return false
		}
	}
	return true
}
