package hub_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL for the tests: the server named by MOTCUA_TEST_POSTGRES (a
// URL to a database the tests may create databases from, as CI starts it),
// else a private cluster started here with initdb and pg_ctl on a temporary
// directory and a free loopback port, stopped when the tests end. A missing
// PostgreSQL fails the tests: install the Debian package "postgresql".

var pg struct {
	once    sync.Once
	url     string // admin URL (database postgres)
	err     error
	stop    func()
	counter atomic.Int64
}

func pgBin(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) > 0 {
		return matches[len(matches)-1], nil
	}
	return "", fmt.Errorf("%s not found: install the Debian package \"postgresql\" (or set MOTCUA_TEST_POSTGRES to a server URL)", name)
}

func startCluster() (string, func(), error) {
	initdb, err := pgBin("initdb")
	if err != nil {
		return "", nil, err
	}
	pgctl, err := pgBin("pg_ctl")
	if err != nil {
		return "", nil, err
	}
	base, err := os.MkdirTemp("", "motcua-pg-")
	if err != nil {
		return "", nil, err
	}
	os.Chmod(base, 0o755)
	data := filepath.Join(base, "data")
	var wrap []string // PostgreSQL refuses to run as root: run it as "postgres"
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return "", nil, fmt.Errorf("running as root and no postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Mkdir(data, 0o700); err != nil {
			return "", nil, err
		}
		os.Chown(data, uid, gid)
		os.Chown(base, uid, gid)
		wrap = []string{"runuser", "-u", "postgres", "--"}
	}
	run := func(args ...string) error {
		all := append(append([]string{}, wrap...), args...)
		out, err := exec.Command(all[0], all[1:]...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %w\n%s", args, err, out)
		}
		return nil
	}
	if err := run(initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		return "", nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, base)
	if err := run(pgctl, "-D", data, "-o", opts, "-l", filepath.Join(base, "log"), "-w", "start"); err != nil {
		return "", nil, err
	}
	stop := func() {
		run(pgctl, "-D", data, "-m", "immediate", "-w", "stop")
		os.RemoveAll(base)
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), stop, nil
}

// postgresURL returns the URL of a fresh database for one test.
func postgresURL(t testing.TB) string {
	t.Helper()
	pg.once.Do(func() {
		if u := os.Getenv("MOTCUA_TEST_POSTGRES"); u != "" {
			pg.url = u
			return
		}
		pg.url, pg.stop, pg.err = startCluster()
	})
	if pg.err != nil {
		t.Fatalf("PostgreSQL: %v", pg.err)
	}
	db, err := sql.Open("pgx", pg.url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := fmt.Sprintf("motcua_test_%d_%d", os.Getpid(), pg.counter.Add(1))
	if _, err := db.ExecContext(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("PostgreSQL at %s: %v", pg.url, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", pg.url)
		if err == nil {
			db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			db.Close()
		}
	})
	u := pg.url
	// Replace the database name of the admin URL.
	if i := lastSlash(u); i >= 0 {
		rest := ""
		if q := indexByte(u[i:], '?'); q >= 0 {
			rest = u[i+q:]
		}
		u = u[:i+1] + name + rest
	}
	return u
}

func lastSlash(s string) int {
	q := indexByte(s, '?')
	if q < 0 {
		q = len(s)
	}
	for i := q - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func TestMain(m *testing.M) {
	code := m.Run()
	if pg.stop != nil {
		pg.stop()
	}
	os.Exit(code)
}
