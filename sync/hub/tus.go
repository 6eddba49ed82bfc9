package hub

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/motcua/motcua/sync/protocol"
)

// The tus 1.0 core protocol with the creation, checksum (sha256) and
// termination extensions. Creation must be signed by an enrolled device;
// the upload URL it returns (128 random bits) is then a capability: HEAD and
// PATCH may be signed (our client signs them) or not (third-party tus
// clients). Whatever arrives, a file is only kept when its whole content
// hashes to the SHA-256 declared at creation.

func tusHeaders(w http.ResponseWriter) {
	w.Header().Set(protocol.HeaderTusResumable, protocol.TusVersion)
	w.Header().Set("Cache-Control", "no-store")
}

func (s *Server) tusOptions(w http.ResponseWriter, r *http.Request) {
	tusHeaders(w)
	w.Header().Set("Tus-Version", protocol.TusVersion)
	w.Header().Set("Tus-Extension", protocol.TusExtensions)
	w.Header().Set("Tus-Max-Size", strconv.FormatInt(s.maxUp, 10))
	w.Header().Set("Tus-Checksum-Algorithm", protocol.TusChecksumAlgos)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) tusVersionOK(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get(protocol.HeaderTusResumable) != protocol.TusVersion {
		tusHeaders(w)
		w.Header().Set("Tus-Version", protocol.TusVersion)
		w.WriteHeader(http.StatusPreconditionFailed)
		return false
	}
	return true
}

func (s *Server) partPath(id string) string { return filepath.Join(s.dir, "uploads", id+".part") }

// FilePath is where the hub keeps a file it holds.
func (s *Server) FilePath(sha string) string { return filepath.Join(s.dir, "files", sha[:2], sha) }

func (s *Server) tusCreate(w http.ResponseWriter, r *http.Request) {
	if !s.tusVersionOK(w, r) {
		return
	}
	dev, aerr := s.authenticate(r, protocol.EmptySHA256)
	if aerr != nil {
		s.refuse(w, r, aerr)
		return
	}
	tusHeaders(w)
	length, err := strconv.ParseInt(r.Header.Get(protocol.HeaderUploadLength), 10, 64)
	if err != nil || length < 0 {
		writeErr(w, http.StatusBadRequest, protocol.ErrBadRequest, "Upload-Length required (deferred length is not supported)")
		return
	}
	if length > s.maxUp {
		writeErr(w, http.StatusRequestEntityTooLarge, protocol.ErrTooLarge, "file too large")
		return
	}
	meta, err := protocol.DecodeMetadata(r.Header.Get(protocol.HeaderUploadMeta))
	if err != nil || !protocol.ValidSHA256(meta["sha256"]) {
		writeErr(w, http.StatusBadRequest, protocol.ErrBadRequest, "Upload-Metadata must carry the file's sha256 (hex)")
		return
	}
	u, err := s.st.CreateUpload(r.Context(), Upload{ID: newID(), Device: dev.ID, SHA256: meta["sha256"], Length: length, CreatedAt: s.now()})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if held, _, err := s.st.HasFile(r.Context(), u.SHA256); err == nil && held && !u.Done {
		// The hub has it already (another device sent it): nothing to send.
		if err := s.st.FinishUpload(r.Context(), u.ID, s.now()); err != nil {
			s.internal(w, r, err)
			return
		}
		os.Remove(s.partPath(u.ID))
		u.Offset = u.Length
	}
	w.Header().Set("Location", protocol.PathFiles+u.ID)
	w.Header().Set(protocol.HeaderUploadOffset, strconv.FormatInt(u.Offset, 10))
	w.WriteHeader(http.StatusCreated)
}

// uploadFor loads upload id and checks who may touch it: anyone holding the
// URL when the request is unsigned, only a device of the same office (or the
// creator) when it is signed.
func (s *Server) uploadFor(w http.ResponseWriter, r *http.Request) (Upload, bool) {
	id := r.PathValue("id")
	if len(id) != 32 || !isLowerHex(id) {
		tusHeaders(w)
		w.WriteHeader(http.StatusNotFound)
		return Upload{}, false
	}
	u, err := s.st.Upload(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		tusHeaders(w)
		w.WriteHeader(http.StatusNotFound)
		return u, false
	}
	if err != nil {
		s.internal(w, r, err)
		return u, false
	}
	return u, true
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// checkOwner authenticates a signed HEAD/PATCH/DELETE and checks the device
// is the upload's creator.
func (s *Server) checkOwner(w http.ResponseWriter, r *http.Request, u Upload, bodySHA string) bool {
	if r.Header.Get(protocol.HeaderSignature) == "" {
		return true
	}
	dev, aerr := s.authenticate(r, bodySHA)
	if aerr != nil {
		s.refuse(w, r, aerr)
		return false
	}
	if dev.ID != u.Device {
		s.refuse(w, r, &authError{http.StatusForbidden, protocol.ErrForbidden, errors.New("upload of another device")})
		return false
	}
	return true
}

func (s *Server) lockUpload(id string) func() {
	s.mu.Lock()
	l, ok := s.upLocks[id]
	if !ok {
		l = &sync.Mutex{}
		s.upLocks[id] = l
	}
	s.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// reconcile repairs an upload after a crash: a part file shorter than the
// recorded offset (never written durably) lowers the offset; a complete
// upload whose file was already moved in place is finished.
func (s *Server) reconcile(r *http.Request, u *Upload) error {
	if u.Done {
		return nil
	}
	fi, err := os.Stat(s.partPath(u.ID))
	switch {
	case err == nil && fi.Size() < u.Offset:
		u.Offset = fi.Size()
		return s.st.SetUploadOffset(r.Context(), u.ID, u.Offset)
	case errors.Is(err, os.ErrNotExist) && u.Offset > 0:
		if ok, _ := fileHashes(s.FilePath(u.SHA256), u.SHA256); ok {
			u.Done, u.Offset = true, u.Length
			return s.st.FinishUpload(r.Context(), u.ID, s.now())
		}
		u.Offset = 0
		return s.st.SetUploadOffset(r.Context(), u.ID, 0)
	}
	return nil
}

func (s *Server) tusHead(w http.ResponseWriter, r *http.Request) {
	if !s.tusVersionOK(w, r) {
		return
	}
	u, ok := s.uploadFor(w, r)
	if !ok || !s.checkOwner(w, r, u, protocol.EmptySHA256) {
		return
	}
	unlock := s.lockUpload(u.ID)
	defer unlock()
	if err := s.reconcile(r, &u); err != nil {
		s.internal(w, r, err)
		return
	}
	tusHeaders(w)
	w.Header().Set(protocol.HeaderUploadOffset, strconv.FormatInt(u.Offset, 10))
	w.Header().Set(protocol.HeaderUploadLength, strconv.FormatInt(u.Length, 10))
	w.WriteHeader(http.StatusOK)
}

func (s *Server) tusDelete(w http.ResponseWriter, r *http.Request) {
	if !s.tusVersionOK(w, r) {
		return
	}
	u, ok := s.uploadFor(w, r)
	if !ok || !s.checkOwner(w, r, u, protocol.EmptySHA256) {
		return
	}
	unlock := s.lockUpload(u.ID)
	defer unlock()
	if !u.Done {
		os.Remove(s.partPath(u.ID))
		if err := s.st.DeleteUpload(r.Context(), u.ID); err != nil {
			s.internal(w, r, err)
			return
		}
	}
	tusHeaders(w)
	w.WriteHeader(http.StatusNoContent)
}

// parseChecksum reads "sha256 <base64>"; ok false if absent.
func parseChecksum(h string) (sum []byte, present bool, err error) {
	if h == "" {
		return nil, false, nil
	}
	algo, v, _ := strings.Cut(strings.TrimSpace(h), " ")
	if algo != "sha256" {
		return nil, true, fmt.Errorf("checksum algorithm %q not supported", algo)
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(b) != sha256.Size {
		return nil, true, errors.New("checksum is not a base64 SHA-256")
	}
	return b, true, nil
}

func (s *Server) tusPatch(w http.ResponseWriter, r *http.Request) {
	if !s.tusVersionOK(w, r) {
		return
	}
	u, ok := s.uploadFor(w, r)
	if !ok {
		return
	}
	signed := r.Header.Get(protocol.HeaderSignature) != ""
	if !s.checkOwner(w, r, u, "") { // the body hash is checked below, once read
		return
	}
	tusHeaders(w)
	if r.Header.Get("Content-Type") != "application/offset+octet-stream" {
		writeErr(w, http.StatusUnsupportedMediaType, protocol.ErrBadRequest, "Content-Type must be application/offset+octet-stream")
		return
	}
	sum, hasSum, err := parseChecksum(r.Header.Get(protocol.HeaderChecksum))
	if err != nil {
		writeErr(w, http.StatusBadRequest, protocol.ErrBadRequest, err.Error())
		return
	}
	off, err := strconv.ParseInt(r.Header.Get(protocol.HeaderUploadOffset), 10, 64)
	if err != nil || off < 0 {
		writeErr(w, http.StatusBadRequest, protocol.ErrBadRequest, "Upload-Offset required")
		return
	}
	unlock := s.lockUpload(u.ID)
	defer unlock()
	if u, err = s.st.Upload(r.Context(), u.ID); err != nil { // fresh, under the lock
		s.internal(w, r, err)
		return
	}
	if err := s.reconcile(r, &u); err != nil {
		s.internal(w, r, err)
		return
	}
	if u.Done || off != u.Offset {
		w.Header().Set(protocol.HeaderUploadOffset, strconv.FormatInt(u.Offset, 10))
		if u.Done && off == u.Length {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeErr(w, http.StatusConflict, protocol.ErrConflict, "Upload-Offset does not match the upload's offset")
		return
	}
	f, err := os.OpenFile(s.partPath(u.ID), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	defer f.Close()
	if err := f.Truncate(u.Offset); err != nil { // drop anything written past the durable offset
		s.internal(w, r, err)
		return
	}
	if _, err := f.Seek(u.Offset, io.SeekStart); err != nil {
		s.internal(w, r, err)
		return
	}
	h := sha256.New()
	n, cerr := io.Copy(io.MultiWriter(f, h), io.LimitReader(r.Body, u.Length-u.Offset))
	s.m.addBytes("upload", n)
	strict := hasSum || signed // a chunk that must verify is kept whole or not at all
	rollback := func() { f.Truncate(u.Offset) }
	if cerr != nil {
		if strict || n == 0 {
			rollback()
			s.m.event("upload_cut")
			return
		}
		// A third-party client without checksums: keep what arrived (tus).
		if err := f.Sync(); err == nil {
			s.st.SetUploadOffset(r.Context(), u.ID, u.Offset+n)
		}
		s.m.event("upload_cut")
		return
	}
	got := h.Sum(nil)
	if hasSum && !equalBytes(got, sum) {
		rollback()
		writeErr(w, protocol.StatusChecksum, protocol.ErrChecksum, "chunk does not match Upload-Checksum")
		return
	}
	if signed {
		sg, _ := protocol.ParseSigned(r.Header)
		if sg.CheckBody(hex.EncodeToString(got)) != nil {
			rollback()
			s.refuse(w, r, &authError{http.StatusUnauthorized, protocol.ErrBadSignature, protocol.ErrBodyHash})
			return
		}
	}
	if err := f.Sync(); err != nil {
		rollback()
		s.internal(w, r, err)
		return
	}
	newOff := u.Offset + n
	if newOff == u.Length {
		if err := s.complete(r, u, f); err != nil {
			if errors.Is(err, errWholeChecksum) {
				writeErr(w, protocol.StatusChecksum, protocol.ErrChecksum, "file does not match its declared sha256; upload discarded")
				return
			}
			s.internal(w, r, err)
			return
		}
	} else if err := s.st.SetUploadOffset(r.Context(), u.ID, newOff); err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set(protocol.HeaderUploadOffset, strconv.FormatInt(newOff, 10))
	w.WriteHeader(http.StatusNoContent)
}

var errWholeChecksum = errors.New("whole file checksum mismatch")

// complete verifies the whole file and moves it in place.
func (s *Server) complete(r *http.Request, u Upload, f *os.File) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if hex.EncodeToString(h.Sum(nil)) != u.SHA256 {
		f.Close()
		os.Remove(s.partPath(u.ID))
		s.st.DeleteUpload(r.Context(), u.ID)
		s.m.event("upload_bad_checksum")
		return errWholeChecksum
	}
	if err := s.st.SetUploadOffset(r.Context(), u.ID, u.Length); err != nil {
		return err
	}
	dst := s.FilePath(u.SHA256)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if err := os.Rename(s.partPath(u.ID), dst); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		d.Sync()
		d.Close()
	}
	s.m.event("upload_done")
	return s.st.FinishUpload(r.Context(), u.ID, s.now())
}

func equalBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := range a {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// fileHashes reports whether the file at path hashes to sha.
func fileHashes(path, sha string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	return hashReader(f, sha256.New(), sha)
}

func hashReader(rd io.Reader, h hash.Hash, sha string) (bool, error) {
	if _, err := io.Copy(h, rd); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == sha, nil
}

func (s *Server) blobHead(w http.ResponseWriter, r *http.Request) {
	if _, aerr := s.authenticate(r, protocol.EmptySHA256); aerr != nil {
		s.refuse(w, r, aerr)
		return
	}
	sha := r.PathValue("sha")
	held, size, err := s.st.HasFile(r.Context(), sha)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if !held {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.Header().Set(protocol.HeaderHeld, sha) // a portal answering 200 to anything does not say this
	w.WriteHeader(http.StatusOK)
}

// blobGet serves a file to reviewers.
func (s *Server) blobGet(w http.ResponseWriter, r *http.Request) {
	dev, aerr := s.authenticate(r, protocol.EmptySHA256)
	if aerr != nil {
		s.refuse(w, r, aerr)
		return
	}
	if dev.Role != RoleReviewer {
		s.refuse(w, r, &authError{http.StatusForbidden, protocol.ErrForbidden, errors.New("files are served to reviewers")})
		return
	}
	sha := r.PathValue("sha")
	if !protocol.ValidSHA256(sha) {
		writeErr(w, http.StatusNotFound, protocol.ErrNotFound, "no such file")
		return
	}
	http.ServeFile(w, r, s.FilePath(sha))
}
