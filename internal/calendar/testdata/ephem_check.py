# Independent check of the Vietnamese lunar calendar with PyEphem (VSOP87/ELP),
# not Meeus' abridged series: month starts on the UTC+7 day of the new moon,
# month 11 holds the winter solstice, leap = first month without a principal term.
import ephem, datetime, math
TZ = datetime.timedelta(hours=7)
def local(d): return (ephem.Date(d).datetime() + TZ).date()
def sunlon(d):
    s = ephem.Sun(); s.compute(d, epoch=d)
    return math.degrees(ephem.Ecliptic(s, epoch=d).lon)
def terms(y0, y1):
    out = []
    d = ephem.Date(datetime.datetime(y0, 1, 1))
    end = ephem.Date(datetime.datetime(y1, 1, 1))
    step = 1.0
    prev = sunlon(d)
    while d < end:
        n = ephem.Date(d + step); cur = sunlon(n)
        if int(prev // 30) != int(cur // 30):
            lo, hi = float(d), float(n)
            target = (int(cur // 30)) * 30.0
            for _ in range(50):
                mid = (lo + hi) / 2
                v = sunlon(mid)
                if (v - target) % 360 < 180: hi = mid
                else: lo = mid
            out.append((local(hi), int(cur // 30) * 30))
        d, prev = n, cur
    return out
def newmoons(y0, y1):
    out = []; d = ephem.Date(datetime.datetime(y0, 1, 1))
    while True:
        d = ephem.next_new_moon(d)
        if d.datetime().year >= y1: return out
        out.append(local(d))
Y0, Y1 = 2018, 2038
NM = newmoons(Y0, Y1); T = terms(Y0, Y1)
def a11(y):
    sol = [t for t, l in T if l == 270 and t.year == y][0]
    return max(n for n in NM if n <= sol)
for Y in range(2020, 2036):
    a, b = a11(Y - 1), a11(Y)
    months = [n for n in NM if a <= n < b] + [b]
    nmonths = len(months) - 1
    label = []; m = 11; leapdone = False
    for i in range(nmonths):
        s, e = months[i], months[i + 1]
        has = any(s <= t < e for t, l in T)
        if i > 0:
            if nmonths == 13 and not has and not leapdone:
                leapdone = True; label.append((m, True, s)); continue
            m = m % 12 + 1
        label.append((m, False, s))
    tet = [s for mm, lp, s in label if mm == 1 and not lp][0]
    m3 = [s for mm, lp, s in label if mm == 3 and not lp][0]
    leap = [mm for mm, lp, s in label if lp]
    print(Y, tet, m3 + datetime.timedelta(days=9), "leap(11..11 span):", leap, [ (s, months[months.index(s)+1]) for mm, lp, s in label if lp])
