package hub

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/motcua/motcua/sync/protocol"
)

// vnOffset is Vietnam's fixed offset (no daylight saving time): days and
// weeks of the dashboard are counted in it, without tzdata.
const vnOffset = 7 * 3600 * 1000

var vnZone = time.FixedZone("ICT", 7*3600)

func bucketStart(n int64, bucket string) time.Time {
	if bucket == protocol.BucketWeek {
		n = n*7 - 3
	}
	return time.UnixMilli(n*86400000 - vnOffset).In(vnZone)
}

// MaxDailyRange is the longest period the dashboard's series comes per day;
// longer periods come per week (the review screens ask for weeks past the
// same length).
const MaxDailyRange = 92 * 24 * time.Hour

func (s *sqlStore) ReviewDashboard(ctx context.Context, scope []string, q protocol.DashboardQuery, now time.Time) (protocol.Dashboard, error) {
	if q.To.IsZero() {
		q.To = now
	}
	if q.From.IsZero() {
		q.From = q.To.AddDate(0, 0, -30)
	}
	if q.Bucket == "" {
		q.Bucket = protocol.BucketDay
	}
	if q.Bucket != protocol.BucketDay && q.Bucket != protocol.BucketWeek {
		return protocol.Dashboard{}, fmt.Errorf("%w: bucket %q", ErrBadQuery, q.Bucket)
	}
	if !q.From.Before(q.To) {
		return protocol.Dashboard{}, fmt.Errorf("%w: from must be before to", ErrBadQuery)
	}
	if q.Bucket == protocol.BucketDay && q.To.Sub(q.From) > MaxDailyRange {
		// A point per day over a long period is unreadable and slow
		// (182,500 daily rows for a province over a year): answer by week
		// and say so in the answer's bucket.
		q.Bucket = protocol.BucketWeek
	}
	if q.Office != "" {
		if !inList(q.Office, scope) {
			scope = nil
		} else {
			scope = []string{q.Office}
		}
	}
	out := protocol.Dashboard{From: q.From.UTC(), To: q.To.UTC(), Bucket: q.Bucket, Communes: []protocol.DashboardRow{},
		Series: []protocol.SeriesPoint{}}
	// Whole Vietnam days: from the day of From to the day of To's last
	// instant. The whole weeks inside are read from the weekly rollup, the
	// edge days before and after them from the daily one.
	fromDay, toDay := vnDay(ms(q.From)), vnDay(ms(q.To)-1)
	where, args := inScope("office", scope)
	// Week w runs from day 7w-3 to day 7w+3.
	wFrom, wTo := vnWeek(fromDay+6), vnWeek(toDay+1)-1
	// Edge days: [fromDay, edgeTo) and [edgeFrom, toDay].
	edgeTo, edgeFrom := toDay+1, toDay+1 // no whole week: every day from the daily rollup
	if wFrom <= wTo {
		edgeTo, edgeFrom = 7*wFrom-3, 7*wTo+4
	} else {
		wFrom, wTo = 1, 0
	}
	// src selects the rollup rows of the range with key as the row's
	// series key (day or week); its arguments are srcArgs.
	src := func(dayKey string) string {
		return `SELECT office, ` + dayKey + ` AS k, received, done, on_time, late, done_ms, votes_good, votes_ok, votes_bad, papers,
			papers_digitised, finished FROM review_daily WHERE ((day >= ? AND day < ?) OR (day >= ? AND day <= ?))` + where + `
			UNION ALL SELECT office, week, received, done, on_time, late, done_ms, votes_good, votes_ok, votes_bad, papers,
			papers_digitised, finished FROM review_weekly WHERE week >= ? AND week <= ?` + where
	}
	srcArgs := append(append([]any{fromDay, edgeTo, edgeFrom, toDay}, args...), wFrom, wTo)
	srcArgs = append(srcArgs, args...)
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT office, sum(received), sum(done), sum(on_time), sum(late), sum(done_ms),
		sum(votes_good), sum(votes_ok), sum(votes_bad), sum(papers), sum(papers_digitised)
		FROM (`+src("day")+`) x GROUP BY office HAVING sum(received) > 0 ORDER BY office`), srcArgs...)
	if err != nil {
		return out, fmt.Errorf("dashboard: %w", err)
	}
	names := map[string]string{}
	if offs, err := s.Offices(ctx); err == nil {
		for _, o := range offs {
			names[o.Code] = o.Name
		}
	}
	byOffice := map[string]int{}
	var totalMs, overallMs int64
	for rows.Next() {
		var r protocol.DashboardRow
		if err := rows.Scan(&r.Office, &r.Received, &r.Done, &r.OnTime, &r.Late, &totalMs,
			&r.VotesGood, &r.VotesOK, &r.VotesBad, &r.Papers, &r.PapersDigitised); err != nil {
			rows.Close()
			return out, err
		}
		r.Name = names[r.Office]
		finish(&r, totalMs)
		overallMs += totalMs
		o := &out.Overall
		o.Received += r.Received
		o.Done += r.Done
		o.OnTime += r.OnTime
		o.Late += r.Late
		o.VotesGood += r.VotesGood
		o.VotesOK += r.VotesOK
		o.VotesBad += r.VotesBad
		o.Papers += r.Papers
		o.PapersDigitised += r.PapersDigitised
		byOffice[r.Office] = len(out.Communes)
		out.Communes = append(out.Communes, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	// Overdue now: every open dossier of the commune past its due time,
	// whenever it was received.
	rows, err = s.r.QueryContext(ctx, s.q(`SELECT office, count(*) FROM review_dossiers WHERE status IN `+openStatuses+
		` AND due_at < ?`+where+` GROUP BY office`), append([]any{ms(now)}, args...)...)
	if err != nil {
		return out, fmt.Errorf("dashboard: %w", err)
	}
	for rows.Next() {
		var office string
		var n int64
		if err := rows.Scan(&office, &n); err != nil {
			rows.Close()
			return out, err
		}
		i, ok := byOffice[office]
		if !ok {
			i = len(out.Communes)
			byOffice[office] = i
			out.Communes = append(out.Communes, protocol.DashboardRow{Office: office, Name: names[office]})
		}
		out.Communes[i].OverdueNow = n
		out.Overall.OverdueNow += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	sort.Slice(out.Communes, func(i, j int) bool { return out.Communes[i].Office < out.Communes[j].Office })
	out.Overall.Name = "Tất cả"
	finish(&out.Overall, overallMs)

	if q.Bucket == protocol.BucketWeek {
		// Edge days count in their week; whole weeks come as they are.
		rows, err = s.r.QueryContext(ctx, s.q(`SELECT k, sum(received), sum(finished) FROM (`+src("(day + 3) / 7")+`) x
			GROUP BY k ORDER BY k`), srcArgs...)
	} else {
		rows, err = s.r.QueryContext(ctx, s.q(`SELECT day, sum(received), sum(finished) FROM review_daily WHERE day >= ? AND day <= ?`+where+
			` GROUP BY day ORDER BY day`), append([]any{fromDay, toDay}, args...)...)
	}
	if err != nil {
		return out, fmt.Errorf("dashboard series: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var day, rec, fin int64
		if err := rows.Scan(&day, &rec, &fin); err != nil {
			return out, err
		}
		if rec == 0 && fin == 0 {
			continue
		}
		n := day // a week number when the bucket is a week
		if k := len(out.Series) - 1; k >= 0 && out.Series[k].Start.Equal(bucketStart(n, q.Bucket)) {
			out.Series[k].Received += rec
			out.Series[k].Done += fin
			continue
		}
		out.Series = append(out.Series, protocol.SeriesPoint{Start: bucketStart(n, q.Bucket), Received: rec, Done: fin})
	}
	return out, rows.Err()
}

func finish(r *protocol.DashboardRow, totalMs int64) {
	if r.Done > 0 {
		r.AvgHours = float64(totalMs) / float64(r.Done) / 3.6e6
	}
	if r.Papers > 0 {
		r.DigitisedShare = float64(r.PapersDigitised) / float64(r.Papers)
	}
}

// WriteDashboardCSV writes the dashboard as CSV for Excel: UTF-8 with a
// byte order mark, Vietnamese headers, one row per commune then the total.
func WriteDashboardCSV(w io.Writer, d protocol.Dashboard) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"Từ ngày", d.From.In(vnZone).Format("02/01/2006"), "Đến ngày", d.To.In(vnZone).Format("02/01/2006")})
	cw.Write([]string{"Mã đơn vị", "Tên đơn vị", "Tiếp nhận", "Đã giải quyết", "Đúng hạn", "Trễ hạn", "Đang quá hạn",
		"Thời gian xử lý trung bình (giờ)", "Rất hài lòng", "Hài lòng", "Không hài lòng", "Số giấy tờ", "Giấy tờ đã số hoá",
		"Tỷ lệ số hoá (%)"})
	row := func(r protocol.DashboardRow) {
		i := func(n int64) string { return strconv.FormatInt(n, 10) }
		cw.Write([]string{csvSafe(r.Office), csvSafe(r.Name), i(r.Received), i(r.Done), i(r.OnTime), i(r.Late), i(r.OverdueNow),
			strconv.FormatFloat(r.AvgHours, 'f', 1, 64), i(r.VotesGood), i(r.VotesOK), i(r.VotesBad), i(r.Papers),
			i(r.PapersDigitised), strconv.FormatFloat(100*r.DigitisedShare, 'f', 1, 64)})
	}
	for _, r := range d.Communes {
		row(r)
	}
	row(d.Overall)
	cw.Write(nil)
	cw.Write([]string{"Kỳ", "Tiếp nhận", "Đã giải quyết"})
	for _, p := range d.Series {
		cw.Write([]string{p.Start.In(vnZone).Format("02/01/2006"), strconv.FormatInt(p.Received, 10), strconv.FormatInt(p.Done, 10)})
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}
