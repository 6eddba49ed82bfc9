package client

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/motcua/motcua/sync/protocol"
)

// Upload sends the file sha to the hub with the tus protocol unless the hub
// holds it already: creation (the hub answers with what it has of an
// earlier, interrupted upload of the same file), then PATCHes of one chunk
// each with an Upload-Checksum, so a cut costs at most the chunk in flight.
// store.ErrNotFound when the file is not on this device.
func (c *Client) Upload(ctx context.Context, sha string) error {
	if ok, err := c.local.FileUploaded(ctx, sha); err != nil {
		return &Error{Kind: KindLocal, Err: err}
	} else if ok {
		return nil
	}
	size, err := c.local.FileSize(ctx, sha)
	if err != nil {
		return err
	}
	resp, err := c.do(ctx, request{method: http.MethodHead, path: protocol.PathBlobs + sha})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		if resp.Header.Get(protocol.HeaderHeld) != sha {
			return &Error{Kind: KindPortal, Status: 200, Err: errors.New("file check answered by something other than the hub")}
		}
		return c.uploaded(ctx, sha)
	}
	if resp.StatusCode != http.StatusNotFound {
		return httpError(resp)
	}
	tus := map[string]string{protocol.HeaderTusResumable: protocol.TusVersion}
	resp, err = c.do(ctx, request{method: http.MethodPost, path: protocol.PathFiles, header: map[string]string{
		protocol.HeaderTusResumable: protocol.TusVersion,
		protocol.HeaderUploadLength: strconv.FormatInt(size, 10),
		protocol.HeaderUploadMeta:   protocol.EncodeMetadata("sha256", sha),
	}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return httpError(resp)
	}
	loc := resp.Header.Get("Location")
	off, err := strconv.ParseInt(resp.Header.Get(protocol.HeaderUploadOffset), 10, 64)
	if len(loc) != len(protocol.PathFiles)+32 || loc[:len(protocol.PathFiles)] != protocol.PathFiles || err != nil {
		return &Error{Kind: KindPortal, Err: errors.New("tus creation answer without a valid Location")}
	}
	c.Stats.Uploads.Add(1)
	if off > 0 && off < size {
		c.Stats.Resumes.Add(1)
	}
	if off >= size {
		// The hub says it has every byte of an earlier upload but does not
		// hold the file (its last step was cut, e.g. by a restart): an
		// empty PATCH at the end has it verify and register the file, or
		// discard it; either way nothing is marked uploaded unconfirmed.
		return c.finishUpload(ctx, sha, loc, size)
	}
	chunk := make([]byte, c.opt.Chunk)
	for off < size {
		n, err := c.readAt(sha, off, chunk)
		if err != nil {
			return &Error{Kind: KindLocal, Err: err}
		}
		sum := sha256.Sum256(chunk[:n])
		h := map[string]string{
			protocol.HeaderTusResumable: protocol.TusVersion,
			protocol.HeaderUploadOffset: strconv.FormatInt(off, 10),
			protocol.HeaderChecksum:     "sha256 " + base64.StdEncoding.EncodeToString(sum[:]),
			"Content-Type":              "application/offset+octet-stream",
		}
		resp, err := c.do(ctx, request{method: http.MethodPatch, path: loc, body: chunk[:n], header: h, bodySHA: hex.EncodeToString(sum[:])})
		if err != nil {
			return err
		}
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusNoContent:
			next, err := strconv.ParseInt(resp.Header.Get(protocol.HeaderUploadOffset), 10, 64)
			if err != nil || next <= off || next > size {
				return &Error{Kind: KindPortal, Err: errors.New("tus answer without a valid Upload-Offset")}
			}
			c.Stats.UploadBytes.Add(next - off)
			off = next
		case http.StatusConflict, protocol.StatusChecksum:
			// Our offset is stale or the chunk arrived damaged: ask again.
			resp, err := c.do(ctx, request{method: http.MethodHead, path: loc, header: tus})
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return httpError(resp)
			}
			if off, err = strconv.ParseInt(resp.Header.Get(protocol.HeaderUploadOffset), 10, 64); err != nil {
				return &Error{Kind: KindPortal, Err: errors.New("tus HEAD without Upload-Offset")}
			}
			if off == 0 {
				// The hub discarded the upload (whole-file checksum): start over.
				return &Error{Kind: KindServer, Status: resp.StatusCode, Err: errors.New("upload restarted")}
			}
		case http.StatusNotFound:
			return &Error{Kind: KindServer, Status: 404, Err: errors.New("upload discarded by the hub; will start again")}
		default:
			return httpError(resp)
		}
	}
	return c.uploaded(ctx, sha)
}

// finishUpload sends the empty last PATCH of an upload whose bytes the hub
// has, then checks that the hub holds the file before marking it uploaded.
func (c *Client) finishUpload(ctx context.Context, sha, loc string, size int64) error {
	empty := sha256.Sum256(nil)
	resp, err := c.do(ctx, request{method: http.MethodPatch, path: loc, body: []byte{}, bodySHA: hex.EncodeToString(empty[:]),
		header: map[string]string{
			protocol.HeaderTusResumable: protocol.TusVersion,
			protocol.HeaderUploadOffset: strconv.FormatInt(size, 10),
			protocol.HeaderChecksum:     "sha256 " + base64.StdEncoding.EncodeToString(empty[:]),
			"Content-Type":              "application/offset+octet-stream",
		}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return &Error{Kind: KindServer, Status: resp.StatusCode, Err: errors.New("the hub did not finish an upload it had whole; will start again")}
	}
	resp, err = c.do(ctx, request{method: http.MethodHead, path: protocol.PathBlobs + sha})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get(protocol.HeaderHeld) != sha {
		return &Error{Kind: KindServer, Status: resp.StatusCode, Err: errors.New("the hub does not hold a finished upload")}
	}
	return c.uploaded(ctx, sha)
}

func (c *Client) uploaded(ctx context.Context, sha string) error {
	if err := c.local.MarkFileUploaded(ctx, sha); err != nil {
		return &Error{Kind: KindLocal, Err: err}
	}
	return nil
}

// readAt reads up to len(buf) bytes of the blob at off.
func (c *Client) readAt(sha string, off int64, buf []byte) (int, error) {
	rc, err := c.local.OpenFile(sha)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	if s, ok := rc.(io.Seeker); ok {
		if _, err := s.Seek(off, io.SeekStart); err != nil {
			return 0, err
		}
	} else if _, err := io.CopyN(io.Discard, rc, off); err != nil {
		return 0, fmt.Errorf("skip to %d: %w", off, err)
	}
	n, err := io.ReadFull(rc, buf)
	if errors.Is(err, io.ErrUnexpectedEOF) || (errors.Is(err, io.EOF) && n > 0) {
		err = nil
	}
	return n, err
}
