#!/usr/bin/env bash
# packaging/windows/sign.sh IN OUT CERTDIR — Authenticode-sign IN into OUT
# with osslsigncode (SHA-256).
#
# Production: MOTCUA_SIGN_PKCS12=cert.p12 and MOTCUA_SIGN_PASSWORD_FILE=pass.txt
# (optionally MOTCUA_SIGN_TIMESTAMP=http://timestamp.server for RFC 3161).
# Otherwise a throw-away self-signed code-signing certificate is made once
# in CERTDIR (test-cert.pem / test-key.pem): Windows will not trust it, but
# "osslsigncode verify -CAfile CERTDIR/test-cert.pem" checks the signature.
set -euo pipefail
in=$1 out=$2 certdir=$3
args=(sign -h sha256 -n "motcua" -i "https://github.com/motcua/motcua")
if [ -n "${MOTCUA_SIGN_PKCS12:-}" ]; then
	args+=(-pkcs12 "$MOTCUA_SIGN_PKCS12")
	[ -n "${MOTCUA_SIGN_PASSWORD_FILE:-}" ] && args+=(-readpass "$MOTCUA_SIGN_PASSWORD_FILE")
else
	mkdir -p "$certdir"
	if [ ! -f "$certdir/test-cert.pem" ]; then
		openssl req -x509 -newkey rsa:3072 -nodes -days 30 -sha256 \
			-subj "/CN=motcua TEST code signing (not trusted)/O=motcua" \
			-addext "keyUsage=critical,digitalSignature" \
			-addext "extendedKeyUsage=codeSigning" \
			-keyout "$certdir/test-key.pem" -out "$certdir/test-cert.pem" 2>/dev/null
		chmod 600 "$certdir/test-key.pem"
	fi
	args+=(-certs "$certdir/test-cert.pem" -key "$certdir/test-key.pem")
	echo "sign: test certificate $certdir/test-cert.pem (set MOTCUA_SIGN_PKCS12 for production)" >&2
fi
[ -n "${MOTCUA_SIGN_TIMESTAMP:-}" ] && args+=(-ts "$MOTCUA_SIGN_TIMESTAMP")
rm -f "$out"
osslsigncode "${args[@]}" -in "$in" -out "$out" >/dev/null
