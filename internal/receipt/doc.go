// Package receipt draws the one-stop counter's paper forms as PDF and signs
// the QR code that lets anyone check a receipt offline.
//
// Form 01, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (Circular 03/2025/TT-VPCP,
// which kept the layout of form 01 of Circular 01/2018), is Receipt: A4, both
// copies in one PDF (Liên 1 for the citizen, Liên 2 kept by the office), Noto
// Sans embedded as a subset so every Vietnamese letter prints. The QR code on
// it carries a Payload signed with the office's Ed25519 key (Sign); a kiosk
// or reviewer checks it with Verify against the keys it trusts, and can still
// read the dossier code of an unknown key with ParsePayload. The payload
// format is in docs/receipt.md.
//
// layout.go is the small engine the forms share (cursor, word wrap with mixed
// styles, tables that continue across pages); forms.go draws on it forms 02
// (Supplement), 03 (Refusal), 04 (Apology), 06 (ControlSlip) and 07
// (TrackingBook, landscape).
//
// This package must not: read the database, decide anything (deadlines,
// fees and codes arrive computed in the dossier), hold private keys beyond a
// call, print, or log personal data. Text is drawn exactly as given, after
// Unicode NFC normalisation.
package receipt
