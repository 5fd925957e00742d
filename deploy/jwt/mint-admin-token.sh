#!/usr/bin/env bash
# Signs an administrator token for a deployment without an identity provider, such as a trial with
# docker compose. On first use it makes an RSA key pair in this folder: public-key.pem, which the
# services read, and signing-key.pem, which only its owner can read. The token goes to stdout.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/jwt/mint-admin-token.sh [--role ROLE] [--hours HOURS] [--subject NAME]

  --role ROLE      smime-admin (default), smime-reader or smime-enroller
  --hours HOURS    validity in hours (default 8)
  --subject NAME   who the token stands for, shown in the audit log (default: $USER)

The token's issuer is SMIME_JWT_ISSUER (default urn:smime-delivery:local-tokens) and its audience
SMIME_JWT_AUDIENCE (default smime-delivery); the services must be started with the same values.
Requires bash, openssl and base64.
USAGE
}

role=smime-admin
hours=8
subject=${USER:-admin}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --role) role=${2:?--role needs a value}; shift 2 ;;
    --hours) hours=${2:?--hours needs a value}; shift 2 ;;
    --subject) subject=${2:?--subject needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "mint-admin-token.sh: unknown option $1. Run with --help for the options." >&2; exit 2 ;;
  esac
done
case "$role" in
  smime-admin|smime-reader|smime-enroller) ;;
  *) echo "mint-admin-token.sh: --role must be smime-admin, smime-reader or smime-enroller, not $role." >&2; exit 2 ;;
esac
[[ "$hours" =~ ^[0-9]+$ && "$hours" -ge 1 ]] || { echo "mint-admin-token.sh: --hours must be a whole number of 1 or more." >&2; exit 2; }
[[ "$subject" =~ ^[A-Za-z0-9@._-]+$ ]] || { echo "mint-admin-token.sh: --subject may hold letters, digits and @._- only." >&2; exit 2; }

folder=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
signing_key="$folder/signing-key.pem"
public_key="$folder/public-key.pem"
if [[ ! -f "$signing_key" ]]; then
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$signing_key" 2> /dev/null)
  openssl pkey -in "$signing_key" -pubout -out "$public_key"
  chmod 644 "$public_key"
  echo "Made a signing key in $signing_key and its public key in $public_key." >&2
fi

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
issuer=${SMIME_JWT_ISSUER:-urn:smime-delivery:local-tokens}
audience=${SMIME_JWT_AUDIENCE:-smime-delivery}
now=$(date -u +%s)
header=$(printf '%s' '{"alg":"RS256","typ":"JWT"}' | b64url)
claims=$(printf '{"iss":"%s","aud":"%s","sub":"%s","upn":"%s","groups":["%s"],"iat":%d,"exp":%d,"jti":"%s"}' \
  "$issuer" "$audience" "$subject" "$subject" "$role" "$now" "$((now + hours * 3600))" "$(openssl rand -hex 16)" | b64url)
signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$signing_key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$claims" "$signature"
