package calendar

import (
	"fmt"
	"math"
)

// The lunar calendar below follows Hồ Ngọc Đức's astronomical algorithm
// ("Computing the Vietnamese lunar calendar", 2004), itself built on the
// formulas of Jean Meeus, "Astronomical Algorithms" (1998): a lunar month
// starts on the local day of a new moon; month 11 is the month that contains
// the winter solstice; a year with 13 months between two months 11 repeats,
// as leap month, the first month that contains no principal solar term.
//
// Every quantity is evaluated for the meridian of UTC+7 (timeZone below):
// China's calendar uses UTC+8, so when a new moon falls between 23:00 and
// midnight Hanoi time the two calendars start the month on different days
// (Tết 2030 is 2 February in Vietnam, 3 February in China).

// timeZone is Vietnam's offset from UTC in hours.
const timeZone = 7.0

// MinYear and MaxYear bound the years for which the conversions are tested
// day by day; LunarToSolar refuses lunar years outside [MinYear-1, MaxYear].
const (
	MinYear = 1900
	MaxYear = 2199
)

// synodicMonth is the mean length of a lunation in days, and epochNewMoon the
// Julian day of the new moon of 1900-01-01 that the month index k counts from.
const (
	synodicMonth = 29.530588853
	epochNewMoon = 2415021.076998695
)

// LunarDate is a date of the Vietnamese lunar calendar (âm lịch). Leap tells
// that Month is the repeated (nhuận) month of the year.
type LunarDate struct {
	Day, Month, Year int
	Leap             bool
}

// String formats the date as "D/M/YYYY", with a star after a leap month:
// "D/M*/YYYY".
func (l LunarDate) String() string {
	leap := ""
	if l.Leap {
		leap = "*"
	}
	return fmt.Sprintf("%d/%d%s/%d", l.Day, l.Month, leap, l.Year)
}

// SolarToLunar converts the Gregorian date y-m-d to the Vietnamese lunar
// calendar. Results are checked day by day for MinYear–MaxYear; outside that
// range the astronomy still runs but nobody has checked it.
func SolarToLunar(y, m, d int) LunarDate {
	dayNumber := jdFromDate(d, m, y)
	k := floor((float64(dayNumber) - epochNewMoon) / synodicMonth)
	// k indexes the mean new moon before the day; the true one may fall up
	// to about a day later, so step back until the month starts on or
	// before the day (the reference code steps back only once and gives
	// day 0 on 2054-05-07).
	monthStart := newMoonDay(k + 1)
	for monthStart > dayNumber {
		k--
		monthStart = newMoonDay(k + 1)
	}
	a11 := lunarMonth11(y)
	b11 := a11
	var lunarYear int
	if a11 >= monthStart {
		lunarYear = y
		a11 = lunarMonth11(y - 1)
	} else {
		lunarYear = y + 1
		b11 = lunarMonth11(y + 1)
	}
	day := dayNumber - monthStart + 1
	diff := (monthStart - a11) / 29
	leap := false
	month := diff + 11
	if b11-a11 > 365 {
		leapDiff := leapMonthOffset(a11)
		if diff >= leapDiff {
			month = diff + 10
			if diff == leapDiff {
				leap = true
			}
		}
	}
	if month > 12 {
		month -= 12
	}
	if month >= 11 && diff < 4 {
		lunarYear--
	}
	return LunarDate{Day: day, Month: month, Year: lunarYear, Leap: leap}
}

// LunarToSolar converts a lunar date to the Gregorian calendar. ok is false
// when the date does not exist: a month outside 1–12, a day past the end of
// its month (months have 29 or 30 days), a leap flag on a month that is not
// the year's leap month, or a year outside [MinYear-1, MaxYear].
func LunarToSolar(l LunarDate) (y, m, d int, ok bool) {
	if l.Year < MinYear-1 || l.Year > MaxYear || l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 {
		return 0, 0, 0, false
	}
	var a11, b11 int
	if l.Month < 11 {
		a11 = lunarMonth11(l.Year - 1)
		b11 = lunarMonth11(l.Year)
	} else {
		a11 = lunarMonth11(l.Year)
		b11 = lunarMonth11(l.Year + 1)
	}
	off := l.Month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		if l.Leap || off >= leapOff {
			off++
		}
	} else if l.Leap {
		return 0, 0, 0, false
	}
	k := floor(0.5 + (float64(a11)-epochNewMoon)/synodicMonth)
	monthStart := newMoonDay(k + off)
	d, m, y = jdToDate(monthStart + l.Day - 1)
	// The arithmetic above lands on a day for any input; only a round trip
	// tells whether that day really is l (catches day 30 of a 29-day month
	// and a leap flag on the wrong month).
	if SolarToLunar(y, m, d) != l {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// floor is the integer part towards minus infinity (INT in the reference).
func floor(x float64) int { return int(math.Floor(x)) }

// jdFromDate is the Julian day number of a Gregorian date (Julian calendar
// before 15 October 1582).
func jdFromDate(dd, mm, yy int) int {
	a := (14 - mm) / 12
	y := yy + 4800 - a
	m := mm + 12*a - 3
	jd := dd + (153*m+2)/5 + 365*y + y/4 - y/100 + y/400 - 32045
	if jd < 2299161 {
		jd = dd + (153*m+2)/5 + 365*y + y/4 - 32083
	}
	return jd
}

// jdToDate is the inverse of jdFromDate.
func jdToDate(jd int) (day, month, year int) {
	var b, c int
	if jd > 2299160 {
		a := jd + 32044
		b = (4*a + 3) / 146097
		c = a - (b*146097)/4
	} else {
		b = 0
		c = jd + 32082
	}
	d := (4*c + 3) / 1461
	e := c - (1461*d)/4
	m := (5*e + 2) / 153
	day = e - (153*m+2)/5 + 1
	month = m + 3 - 12*(m/10)
	year = b*100 + d - 4800 + m/10
	return day, month, year
}

// newMoon is the Julian date (UT, fractional) of the k-th new moon after the
// one of 1900-01-01 (Meeus, chapter 49, abridged).
func newMoon(k int) float64 {
	const dr = math.Pi / 180
	kf := float64(k)
	T := kf / 1236.85
	T2 := T * T
	T3 := T2 * T
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*T2 - 0.000000155*T3
	jd1 += 0.00033 * math.Sin((166.56+132.87*T-0.009173*T2)*dr)
	M := 359.2242 + 29.10535608*kf - 0.0000333*T2 - 0.00000347*T3
	Mpr := 306.0253 + 385.81691806*kf + 0.0107306*T2 + 0.00001236*T3
	F := 21.2964 + 390.67050646*kf - 0.0016528*T2 - 0.00000239*T3
	c1 := (0.1734-0.000393*T)*math.Sin(M*dr) + 0.0021*math.Sin(2*dr*M)
	c1 = c1 - 0.4068*math.Sin(Mpr*dr) + 0.0161*math.Sin(dr*2*Mpr)
	c1 -= 0.0004 * math.Sin(dr*3*Mpr)
	c1 = c1 + 0.0104*math.Sin(dr*2*F) - 0.0051*math.Sin(dr*(M+Mpr))
	c1 = c1 - 0.0074*math.Sin(dr*(M-Mpr)) + 0.0004*math.Sin(dr*(2*F+M))
	c1 = c1 - 0.0004*math.Sin(dr*(2*F-M)) - 0.0006*math.Sin(dr*(2*F+Mpr))
	c1 = c1 + 0.0010*math.Sin(dr*(2*F-Mpr)) + 0.0005*math.Sin(dr*(2*Mpr+M))
	var deltaT float64
	if T < -11 {
		deltaT = 0.001 + 0.000839*T + 0.0002261*T2 - 0.00000845*T3 - 0.000000081*T*T3
	} else {
		deltaT = -0.000278 + 0.000265*T + 0.000262*T2
	}
	return jd1 + c1 - deltaT
}

// newMoonDay is the Julian day number of the local (UTC+7) day of the k-th
// new moon.
func newMoonDay(k int) int {
	return floor(newMoon(k) + 0.5 + timeZone/24)
}

// sunSector is the sun's apparent longitude at local (UTC+7) midnight that
// starts Julian day dayNumber, as a sector 0–11 of 30° (0 = spring equinox;
// the winter solstice starts sector 9).
func sunSector(dayNumber int) int {
	const dr = math.Pi / 180
	jdn := float64(dayNumber) - 0.5 - timeZone/24
	T := (jdn - 2451545.0) / 36525
	T2 := T * T
	M := 357.52910 + 35999.05030*T - 0.0001559*T2 - 0.00000048*T*T2
	L0 := 280.46645 + 36000.76983*T + 0.0003032*T2
	DL := (1.914600 - 0.004817*T - 0.000014*T2) * math.Sin(dr*M)
	DL += (0.019993-0.000101*T)*math.Sin(dr*2*M) + 0.000290*math.Sin(dr*3*M)
	omega := 125.04 - 1934.136*T
	L := L0 + DL - 0.00569 - 0.00478*math.Sin(omega*dr) // apparent longitude
	L *= dr
	L -= 2 * math.Pi * math.Floor(L/(2*math.Pi))
	return floor(L / math.Pi * 6)
}

// lunarMonth11 is the Julian day number of the first day of lunar month 11
// (the month holding the winter solstice) that starts in Gregorian year yy.
func lunarMonth11(yy int) int {
	off := jdFromDate(31, 12, yy) - 2415021
	k := floor(float64(off) / synodicMonth)
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset is, for a 13-month span starting on month 11 at a11, the
// index (1 = the month after a11) of the leap month: the first month during
// which the sun enters no new sector.
func leapMonthOffset(a11 int) int {
	k := floor((float64(a11)-epochNewMoon)/synodicMonth + 0.5)
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}
