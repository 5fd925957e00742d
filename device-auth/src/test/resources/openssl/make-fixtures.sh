#!/usr/bin/env bash
# Regenerates the fixtures of OpenSslInteropTest: fresh keys, their public keys in PEM, and one
# token per key signed by the openssl command line instead of jose4j. The private keys are
# deleted at the end. Needs openssl 3 and python3. Run from this folder.
set -euo pipefail

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl ecparam -name prime256v1 -genkey -noout -out "$work/ec-p256.key"
openssl ecparam -name secp384r1 -genkey -noout -out "$work/ec-p384.key"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa-2048.key"
openssl pkey -in "$work/ec-p256.key" -pubout -out ec-p256.pub.pem
openssl pkey -in "$work/ec-p384.key" -pubout -out ec-p384.pub.pem
openssl pkey -in "$work/rsa-2048.key" -pubout -out rsa-2048.pub.pem
openssl rsa -in "$work/rsa-2048.key" -RSAPublicKey_out -out rsa-2048.pkcs1.pem

python3 - "$work" <<'PY'
import base64
import json
import subprocess
import sys

work = sys.argv[1]
issued_at = 1772359200  # 2026-03-01T10:00:00Z, the verifier's clock in OpenSslInteropTest


def base64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def ecdsa_der_to_jws(der, size):
    """Converts an ECDSA signature from ASN.1 DER to the r || s form of RFC 7518, section 3.4."""
    position = 2 if der[1] < 0x80 else 2 + (der[1] & 0x7F)
    result = b""
    for _ in range(2):
        length = der[position + 1]
        value = der[position + 2:position + 2 + length]
        position += 2 + length
        result += value.lstrip(b"\x00").rjust(size, b"\x00")
    return result


def sign(name, algorithm, digest, device_id, nonce):
    header = {"alg": algorithm, "typ": "device+jwt"}
    claims = {"iss": device_id, "sub": device_id, "aud": "certificate-service",
              "iat": issued_at, "nbf": issued_at, "exp": issued_at + 120, "jti": nonce}
    signing_input = (base64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + base64url(json.dumps(claims, separators=(",", ":")).encode()))
    signature = subprocess.run(["openssl", "dgst", digest, "-sign", f"{work}/{name}.key"],
                               input=signing_input.encode(), capture_output=True, check=True).stdout
    if algorithm == "ES256":
        signature = ecdsa_der_to_jws(signature, 32)
    elif algorithm == "ES384":
        signature = ecdsa_der_to_jws(signature, 48)
    with open(f"{name}.token", "w") as token:
        token.write(signing_input + "." + base64url(signature) + "\n")


sign("ec-p256", "ES256", "-sha256", "iphone-openssl-ec", "b3BlbnNzbC1lYy1ub25jZQ")
sign("ec-p384", "ES384", "-sha384", "iphone-openssl-ec384", "b3BlbnNzbC1lYzM4NC1ub25jZQ")
sign("rsa-2048", "RS256", "-sha256", "iphone-openssl-rsa", "b3BlbnNzbC1yc2Etbm9uY2U")
PY
