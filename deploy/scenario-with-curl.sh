#!/usr/bin/env bash
# Runs the S/MIME delivery scenario against running services with curl, openssl and jq. It configures
# users, groups, trusted roots, certificates and two Outlook S/MIME policies. It then plays one iPhone
# per user as Company Portal would (download, decrypt, install, report) and checks the installed keys.
# docs/scenario-with-curl.md explains every step; run with --help for the options.
set -euo pipefail
shopt -s inherit_errexit

usage() {
  cat <<'EOF'
Usage: deploy/scenario-with-curl.sh [--timeout SECONDS] [WORK_DIR]

Runs the S/MIME delivery scenario against running services and exits with 0 when every device
ends as expected: the devices of mario.rossi, giulia.bianchi and luca.verdi INSTALLED, the device
of anna.neri FAILED with NO_ENCRYPTION_CERTIFICATE, and the device of sara.galli, who is in no
group, without any policy. It needs services with empty databases, because the users, groups and
certificates have fixed names.

  WORK_DIR           new or empty folder for the PKI, device keys, packages and openssl files
                     (default: a new folder under ${TMPDIR:-/tmp})
  --timeout SECONDS  how long to wait for the packages and the install reports (default 180)

The administrator token (role smime-admin) comes from SMIME_ADMIN_TOKEN, or from the file that
SMIME_ADMIN_TOKEN_FILE names; the local stack writes one to <data folder>/admin-tokens/admin-token.

Service URLs come from the environment:
  POLICY_URL         policy-service       (default http://127.0.0.1:8081)
  CERTIFICATE_URL    certificate-service  (default http://127.0.0.1:8082)
  NOTIFICATION_URL   notification-service (default http://127.0.0.1:8083)
  DEVICE_URL         device-service       (default http://127.0.0.1:8084)

Requires bash, curl, openssl 3.0 or later, jq 1.6 or later, base64 and GNU date.
EOF
}

timeout_seconds=180
work_arg=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --help|-h) usage; exit 0 ;;
    --timeout)
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] \
        || { echo "scenario-with-curl.sh: --timeout needs a whole number of seconds, such as 180." >&2; exit 2; }
      timeout_seconds=$2
      shift 2 ;;
    -*) echo "scenario-with-curl.sh: unknown option $1. Run with --help for the options." >&2; exit 2 ;;
    *)
      [[ -z "$work_arg" ]] || { echo "scenario-with-curl.sh: expected one WORK_DIR, got $work_arg and $1." >&2; exit 2; }
      work_arg=$1
      shift ;;
  esac
done

POLICY_URL=${POLICY_URL:-http://127.0.0.1:8081}
CERTIFICATE_URL=${CERTIFICATE_URL:-http://127.0.0.1:8082}
NOTIFICATION_URL=${NOTIFICATION_URL:-http://127.0.0.1:8083}
DEVICE_URL=${DEVICE_URL:-http://127.0.0.1:8084}

for tool in curl openssl jq base64; do
  command -v "$tool" > /dev/null || { echo "scenario-with-curl.sh: $tool is not on the PATH. Install it first." >&2; exit 1; }
done
script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
make_pki="$script_dir/../device-simulator/scripts/make-pki.sh"
[[ -f "$make_pki" ]] || { echo "scenario-with-curl.sh: $make_pki is missing. Run the script from a checkout of the project." >&2; exit 1; }

umask 077
if [[ -z "$work_arg" ]]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/scenario-with-curl.XXXXXX")
else
  if [[ -e "$work_arg" && ( ! -d "$work_arg" || -n "$(ls -A -- "$work_arg")" ) ]]; then
    echo "scenario-with-curl.sh: $work_arg is not a new or empty folder. Give another, because each run makes new keys." >&2
    exit 2
  fi
  mkdir -p -- "$work_arg"
  work=$(cd -- "$work_arg" && pwd)
fi
mkdir -p "$work/http" "$work/devices" "$work/mail"

if [[ -z "${SMIME_ADMIN_TOKEN:-}" && -n "${SMIME_ADMIN_TOKEN_FILE:-}" ]]; then
  SMIME_ADMIN_TOKEN=$(< "$SMIME_ADMIN_TOKEN_FILE")
fi
if [[ -z "${SMIME_ADMIN_TOKEN:-}" ]]; then
  echo "scenario-with-curl.sh: set SMIME_ADMIN_TOKEN (or SMIME_ADMIN_TOKEN_FILE) to a token with the role smime-admin." >&2
  exit 2
fi
# The administrator's header goes to curl as -H @FILE, so the token never shows on a command line.
admin_header="$work/http/admin-authorization"
printf 'Authorization: Bearer %s\n' "$SMIME_ADMIN_TOKEN" > "$admin_header"

# ---------------------------------------------------------------------------------------------------
# HTTP

# Sends a request and prints the response body. Prints "METHOD URL -> status" to stderr unless QUIET is
# set. A status other than 2xx ends the script with the problem document's title, detail and errors.
# The request body and the headers are never printed, because they carry PKCS#12 files and tokens.
# Requests carry the administrator token unless DEVICE_REQUEST is set (the caller sends a device token).
api() {
  local method=$1 url=$2
  shift 2
  [[ -n "${DEVICE_REQUEST:-}" ]] || set -- -H "@$admin_header" "$@"
  local response="$work/http/response" status
  if ! status=$(curl -sS --connect-timeout 5 --max-time 60 -o "$response" -w '%{http_code}' -X "$method" "$@" "$url"); then
    echo "scenario-with-curl.sh: $method $url failed: no HTTP response. Is the service running?" >&2
    exit 1
  fi
  [[ -n "${QUIET:-}" ]] || echo "  $method $url -> $status" >&2
  if [[ "$status" != 2* ]]; then
    echo "scenario-with-curl.sh: $method $url returned HTTP $status:" >&2
    if jq -e . "$response" > /dev/null 2>&1; then
      jq -r '"  \(.title // "")", "  \(.detail // "")",
             (.errors // [] | .[] | "  field \(.field // "-") = \(.value // "null"): \(.message // "")")' "$response" >&2
    else
      head -c 2000 "$response" >&2
      echo >&2
    fi
    exit 1
  fi
  cat "$response"
}

# Sends a JSON body from a file.
api_json() {
  local method=$1 url=$2 body=$3
  api "$method" "$url" -H 'Content-Type: application/json' --data-binary "@$body"
}

# ---------------------------------------------------------------------------------------------------
# Device tokens

b64url() {
  base64 -w0 | tr '+/' '-_' | tr -d '='
}

# Writes the header "Authorization: Device <token>" to FILE for one request of DEVICE to AUDIENCE. The
# token is a compact JWS (RS256, typ device+jwt) signed with the device key. Its jti is single-use, so
# every request gets a new token. It goes to curl as -H @FILE, so it never shows on a command line.
write_device_authorization() {
  local device_id=$1 audience=$2 key=$3 file=$4
  local now header claims input signature
  now=$(date -u +%s)
  header=$(printf '%s' '{"alg":"RS256","typ":"device+jwt"}' | b64url)
  claims=$(jq -cn --arg device "$device_id" --arg audience "$audience" --argjson now "$now" \
    --arg jti "$(openssl rand 16 | b64url)" \
    '{iss: $device, sub: $device, aud: $audience, iat: $now, nbf: $now, exp: ($now + 120), jti: $jti}' | tr -d '\n' | b64url)
  input="$header.$claims"
  signature=$(printf '%s' "$input" | openssl dgst -sha256 -sign "$key" -binary | b64url)
  printf 'Authorization: Device %s.%s\n' "$input" "$signature" > "$file"
}

# Sends a request as DEVICE with a new device token for AUDIENCE and prints the response body.
device_api() {
  local method=$1 url=$2 device_id=$3 audience=$4
  shift 4
  local header="$work/devices/$device_id/authorization" body
  write_device_authorization "$device_id" "$audience" "$work/devices/$device_id/device-key.pem" "$header"
  body=$(DEVICE_REQUEST=1 api "$method" "$url" -H "@$header" "$@")
  rm -f -- "$header"
  printf '%s\n' "$body"
}

# ---------------------------------------------------------------------------------------------------
# Scenario data

email_group=scenario-email
portal_group=scenario-portal
# user id | e-mail | display name | preferred language | group ("" for none) | device id | model
users=(
  "u-4001|mario.rossi@example.it|Mario Rossi|it|$email_group|iphone-mario-c1|iPhone16,2"
  "u-4002|giulia.bianchi@example.it|Giulia Bianchi|en|$email_group|iphone-giulia-c1|iPhone15,3"
  "u-4003|luca.verdi@example.it|Luca Verdi|en-GB|$portal_group|iphone-luca-c1|iPhone16,1"
  "u-4004|anna.neri@example.it|Anna Neri|en|$portal_group|iphone-anna-c1|iPhone15,2"
  "u-4005|sara.galli@example.it|Sara Galli|it||iphone-sara-c1|iPhone14,5"
)
# The expected end of each device: INSTALLED, FAILED <reason code>, or NONE for a device without policy.
declare -A expected=(
  [iphone-mario-c1]=INSTALLED
  [iphone-giulia-c1]=INSTALLED
  [iphone-luca-c1]=INSTALLED
  [iphone-anna-c1]="FAILED NO_ENCRYPTION_CERTIFICATE"
  [iphone-sara-c1]=NONE
)

failures=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

echo "== Services"
for url in "$POLICY_URL" "$CERTIFICATE_URL" "$NOTIFICATION_URL" "$DEVICE_URL"; do
  QUIET=1 api GET "$url/q/health/ready" > /dev/null
  echo "  $url is ready"
done
# A second run on the same databases would give every device a second policy and fail the checks.
existing=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H "@$admin_header" "$POLICY_URL/api/directory/users/u-4001")
if [[ "$existing" != 404 ]]; then
  echo "scenario-with-curl.sh: policy-service already has the scenario user u-4001 (GET .../api/directory/users/u-4001" \
       "returned $existing). Start the services with empty databases: docker compose down -v, or ./local-stack.sh --fresh." >&2
  exit 1
fi

# ---------------------------------------------------------------------------------------------------
echo "== Test PKI in $work/pki"
bash "$make_pki" "$work/pki" | grep -v '^== ' | sed 's/^/  /'
pki="$work/pki"
declare -A p12_password
while read -r name password; do
  [[ "$name" == "#" || -z "$name" ]] || p12_password[$name]=$password
done < "$pki/pkcs12-passwords.txt"

# Mail that arrived before this scenario: one message per user, encrypted to the expired encryption
# certificate. The device must still open it with the old key that its package brings.
for local_part in mario.rossi giulia.bianchi luca.verdi; do
  file="$local_part-encryption-expired.p12"
  printf '%s' "${p12_password[$file]}" > "$work/mail/password"
  openssl pkcs12 -in "$pki/pkcs12/$file" -passin "file:$work/mail/password" -nokeys -clcerts \
    -out "$work/mail/$local_part-expired.pem" 2> /dev/null
  openssl rand -hex 8 > "$work/mail/old-$local_part.marker"
  printf 'Content-Type: text/plain; charset=UTF-8\r\n\r\nOld mail for %s, marker %s\r\n' \
    "$local_part" "$(cat "$work/mail/old-$local_part.marker")" > "$work/mail/old-$local_part.txt"
  openssl cms -encrypt -aes256 -in "$work/mail/old-$local_part.txt" -out "$work/mail/old-$local_part.eml" \
    -from it-helpdesk@example.it -to "$local_part@example.it" -subject "Old encrypted mail" \
    "$work/mail/$local_part-expired.pem"
  echo "  mail/old-$local_part.eml: encrypted to the expired certificate of $local_part@example.it"
done
rm -f "$work/mail/password"

# ---------------------------------------------------------------------------------------------------
echo "== Directory users and groups at $POLICY_URL"
for entry in "${users[@]}"; do
  IFS='|' read -r user_id email display_name language _ <<< "$entry"
  jq -n --arg id "$user_id" --arg email "$email" --arg name "$display_name" --arg language "$language" \
    '{id: $id, userPrincipalName: $email, email: $email, displayName: $name, preferredLanguage: $language}'
done | jq -s . > "$work/http/users.json"
result=$(api_json POST "$POLICY_URL/api/directory/users/import" "$work/http/users.json")
echo "  imported users: $(jq -c '{total, created, updated, unchanged, rejected}' <<< "$result")"
[[ $(jq '.rejected' <<< "$result") == 0 ]] || { echo "policy-service rejected users: $(jq -c .rows <<< "$result")" >&2; exit 1; }

printf '{"displayName": "Scenario: e-mail notification"}' > "$work/http/group.json"
api_json PUT "$POLICY_URL/api/directory/groups/$email_group" "$work/http/group.json" > /dev/null
printf '{"displayName": "Scenario: Company Portal"}' > "$work/http/group.json"
api_json PUT "$POLICY_URL/api/directory/groups/$portal_group" "$work/http/group.json" > /dev/null
for entry in "${users[@]}"; do
  IFS='|' read -r user_id _ _ _ group _ <<< "$entry"
  [[ -z "$group" ]] || api PUT "$POLICY_URL/api/directory/groups/$group/members/$user_id" > /dev/null
done

echo "== Trusted roots"
root_profile=$(api POST "$POLICY_URL/api/trusted-roots?name=Scenario%20Root%20CA" \
  -H 'Content-Type: application/x-pem-file' --data-binary "@$pki/root-ca.pem" | jq -r .id)
issuing_profile=$(api POST "$POLICY_URL/api/trusted-roots?name=Scenario%20Issuing%20CA" \
  -H 'Content-Type: application/x-pem-file' --data-binary "@$pki/issuing-ca.pem" | jq -r .id)
echo "  root CA profile $root_profile, issuing CA profile $issuing_profile"

# ---------------------------------------------------------------------------------------------------
echo "== PKCS#12 imports at $CERTIFICATE_URL"
# Each password travels encrypted with RSA-OAEP (SHA-256) to certificate-service's import key, so it
# never crosses the network in clear. The renewal certificate is left out for a later renewal step.
api GET "$CERTIFICATE_URL/api/certificates/import-key" | jq -r .publicKeyPem > "$work/http/import-key.pem"
import_files=()
: > "$work/http/import-files.jsonl"
for p12 in "$pki"/pkcs12/*.p12; do
  file=$(basename "$p12")
  [[ "$file" != *-renewal.p12 ]] || continue
  local_part=${file%%-*}
  case "$file" in
    *-encryption-*) purpose=ENCRYPTION ;;
    *-signing-*) purpose=SIGNING ;;
    *) purpose=UNASSIGNED ;; # dual-use: certificate-service derives both roles from the key usage
  esac
  base64 -w0 "$p12" > "$work/http/pkcs12.b64"
  printf '%s' "${p12_password[$file]}" | openssl pkeyutl -encrypt -pubin -inkey "$work/http/import-key.pem" \
    -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 | base64 -w0 \
    > "$work/http/password.b64"
  jq -cn --arg email "$local_part@example.it" --arg purpose "$purpose" \
    --rawfile pkcs12 "$work/http/pkcs12.b64" --rawfile encryptedPassword "$work/http/password.b64" \
    '{email: $email, purpose: $purpose, pkcs12: $pkcs12, encryptedPassword: $encryptedPassword}' \
    >> "$work/http/import-files.jsonl"
  import_files+=("$file")
done
jq -s '{files: .}' "$work/http/import-files.jsonl" > "$work/http/imports.json"
rm -f "$work/http/pkcs12.b64" "$work/http/password.b64" "$work/http/import-files.jsonl"
result=$(api_json POST "$CERTIFICATE_URL/api/certificates/imports" "$work/http/imports.json")
rm -f "$work/http/imports.json"
rejected=0
# Results number the files from 1, in request order.
while IFS='|' read -r number status reason; do
  echo "  ${import_files[$((number - 1))]}: $status${reason:+ ($reason)}"
  [[ "$status" != REJECTED ]] || rejected=$((rejected + 1))
done < <(jq -r '.results[] | [.file, .status, (.reasonCode // "")] | map(tostring) | join("|")' <<< "$result")
(( rejected == 0 )) || { echo "certificate-service rejected $rejected files: $(jq -c '[.results[] | select(.status == "REJECTED")]' <<< "$result")" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------
echo "== Outlook S/MIME policies"
stamp=$(date '+%Y-%m-%d %H:%M:%S')
# Prints the id of a new policy with imported signing and encryption certificates.
create_policy() {
  local name=$1 notification=$2
  jq -n --arg name "$name" --arg notification "$notification" --arg root "$root_profile" --arg issuing "$issuing_profile" \
    '{name: $name, smimeEnabled: true, deployCertificates: true,
      signingCertificateProfileType: "IMPORTED_PKCS", encryptionCertificateProfileType: "IMPORTED_PKCS",
      endUserNotification: $notification, encryptAllMail: false, signAllMail: true,
      ldapHostName: "ldaps://ldap.example.it:636", trustedRootProfileIds: [$root, $issuing]}' > "$work/http/policy.json"
  api_json POST "$POLICY_URL/api/policies" "$work/http/policy.json" | jq -r .id
}
declare -A policy_of_group
policy_of_group[$email_group]=$(create_policy "Scenario curl S/MIME e-mail $stamp" EMAIL)
policy_of_group[$portal_group]=$(create_policy "Scenario curl S/MIME Company Portal $stamp" COMPANY_PORTAL)
echo "  e-mail policy ${policy_of_group[$email_group]}, Company Portal policy ${policy_of_group[$portal_group]}"

# ---------------------------------------------------------------------------------------------------
echo "== Device enrollment at $DEVICE_URL"
for entry in "${users[@]}"; do
  IFS='|' read -r user_id email _ _ _ device_id model <<< "$entry"
  dir="$work/devices/$device_id"
  mkdir -p "$dir"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/device-key.pem" 2> /dev/null
  openssl pkey -in "$dir/device-key.pem" -pubout -out "$dir/device-key.pub.pem"
  # A random stand-in for the APNs token that iOS gives Company Portal, 32 bytes in hex. device-service
  # seals it to notification-service's key.
  openssl rand -hex 32 | tr -d '\n' > "$dir/push-token"
  jq -n --arg device "$device_id" --arg user "$user_id" --arg model "$model" \
    --rawfile key "$dir/device-key.pub.pem" --rawfile push "$dir/push-token" \
    '{deviceId: $device, userId: $user, platform: "iOS", osVersion: "18.1", model: $model,
      devicePublicKeyPem: $key, pushToken: $push}' > "$dir/enrollment.json"
  api_json POST "$DEVICE_URL/api/devices" "$dir/enrollment.json" > /dev/null
  echo "  $device_id ($model) for $email"
done

echo "== Assignments"
for group in "$email_group" "$portal_group"; do
  printf '{"mode": "INCLUDE"}' > "$work/http/assignment.json"
  job=$(api_json PUT "$POLICY_URL/api/policies/${policy_of_group[$group]}/assignments/$group" "$work/http/assignment.json" | jq -r .id)
  for _ in $(seq 1 30); do
    job_status=$(QUIET=1 api GET "$POLICY_URL/api/assignment-jobs/$job")
    case $(jq -r .status <<< "$job_status") in
      COMPLETED|FAILED) break ;;
    esac
    sleep 1
  done
  echo "  policy ${policy_of_group[$group]} -> group $group: job $job $(jq -c '{status, total, assigned, failed}' <<< "$job_status")"
done

# ---------------------------------------------------------------------------------------------------
echo "== Waiting for packages (timeout $timeout_seconds s)"
# A device is ready to install when each of its policies has a package (READY, NOTIFIED or RETRIEVED)
# or failed. A device of a user without policy has nothing to wait for.
deadline=$(( $(date +%s) + timeout_seconds ))
declare -A device_state
last_summary=""
while true; do
  waiting=0
  for entry in "${users[@]}"; do
    IFS='|' read -r _ _ _ _ _ device_id _ <<< "$entry"
    status=$(QUIET=1 api GET "$DEVICE_URL/api/devices/$device_id/status")
    echo "$status" > "$work/devices/$device_id/status.json"
    device_state[$device_id]=$(jq -r '[.policies[] | .state + (if .reasonCode then " " + .reasonCode else "" end)] | join(", ")' <<< "$status")
    if [[ "${expected[$device_id]}" == NONE ]]; then
      continue
    fi
    jq -e '(.policies | length) > 0 and all(.policies[]; .state == "FAILED" or (.packageId != null and
      (.state == "READY" or .state == "NOTIFIED" or .state == "RETRIEVED" or .state == "INSTALLED")))' <<< "$status" > /dev/null \
      || waiting=$((waiting + 1))
  done
  summary=""
  for entry in "${users[@]}"; do
    IFS='|' read -r _ _ _ _ _ device_id _ <<< "$entry"
    summary+=" $device_id=${device_state[$device_id]:-no policy}"
  done
  if [[ "$summary" != "$last_summary" ]]; then
    echo "  [$(date +%H:%M:%S)]$summary"
    last_summary=$summary
  fi
  (( waiting > 0 )) || break
  if (( $(date +%s) >= deadline )); then
    echo "  timed out after $timeout_seconds s; the devices above that are not READY or FAILED stay as they are"
    break
  fi
  sleep 3
done

# ---------------------------------------------------------------------------------------------------
# Company Portal on one device: list, download, decrypt, install and report each READY package.

# Splits the PEM blocks of a file into PREFIX-1.pem, PREFIX-2.pem, ... and prints their names.
split_pem() {
  local input=$1 prefix=$2
  awk -v prefix="$prefix" '
    /-----BEGIN / { n++; file = prefix "-" n ".pem"; print file }
    file { print > file }
    /-----END / { close(file); file = "" }' "$input"
}

# Prints the SHA-256 thumbprint of a PEM certificate in lower-case hex.
thumbprint() {
  openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'
}

install_package() {
  local device_id=$1 package_id=$2 download_path=$3
  local dir="$work/devices/$device_id" key="$work/devices/$device_id/device-key.pem"
  local pkg="$dir/packages/$package_id"
  mkdir -p "$pkg/installed"

  # The body is binary, so it goes straight to a file instead of through device_api.
  write_device_authorization "$device_id" certificate-service "$key" "$dir/authorization"
  DEVICE_REQUEST=1 api GET "$CERTIFICATE_URL$download_path" -H "@$dir/authorization" > "$pkg/package.p7m"
  rm -f -- "$dir/authorization"
  echo "    downloaded $(wc -c < "$pkg/package.p7m") bytes"

  openssl cms -decrypt -inform DER -in "$pkg/package.p7m" -inkey "$key" -out "$pkg/package.json"
  jq -e --arg device "$device_id" --arg package "$package_id" \
    '.format == "smime-device-package/1" and .deviceId == $device and .packageId == $package' "$pkg/package.json" > /dev/null \
    || { fail "$device_id: package $package_id is not a smime-device-package/1 for this device"; return; }
  echo "    decrypted: policy \"$(jq -r .policyName "$pkg/package.json")\" for $(jq -r .email "$pkg/package.json")," \
    "PKCS#12 encoding $(jq -r .pkcs12.encoding "$pkg/package.json"), $(jq '.certificates | length' "$pkg/package.json") certificates in the manifest"

  # The PKCS#12 and its password. The password goes to openssl as a file, never as an argument.
  jq -r .pkcs12.data "$pkg/package.json" | base64 -d > "$pkg/package.p12"
  jq -j .pkcs12.password "$pkg/package.json" > "$pkg/package.p12.password"
  openssl pkcs12 -in "$pkg/package.p12" -passin "file:$pkg/package.p12.password" -nokeys -out "$pkg/p12-certificates.pem"
  openssl pkcs12 -in "$pkg/package.p12" -passin "file:$pkg/package.p12.password" -nocerts -nodes -out "$pkg/p12-keys.pem"
  jq -r '.trustedCertificates[]' "$pkg/package.json" > "$pkg/trusted-certificates.pem"

  # Install: each certificate as <thumbprint>.pem, each key next to its certificate as <thumbprint>.key.pem.
  local certificate key_file thumbprints=()
  while read -r certificate; do
    local t
    t=$(thumbprint "$certificate")
    mv "$certificate" "$pkg/installed/$t.pem"
    [[ " ${thumbprints[*]} " == *" $t "* ]] || thumbprints+=("$t")
  done < <(split_pem "$pkg/p12-certificates.pem" "$pkg/certificate"; split_pem "$pkg/trusted-certificates.pem" "$pkg/trusted")
  while read -r key_file; do
    local public
    public=$(openssl pkey -in "$key_file" -pubout)
    for certificate in "$pkg/installed"/*.pem; do
      [[ "$certificate" != *.key.pem ]] || continue
      if [[ "$(openssl x509 -in "$certificate" -noout -pubkey)" == "$public" ]]; then
        openssl pkey -in "$key_file" -out "${certificate%.pem}.key.pem"
      fi
    done
    rm -f "$key_file"
  done < <(split_pem "$pkg/p12-keys.pem" "$pkg/key")
  rm -f "$pkg/p12-keys.pem"
  echo "    installed ${#thumbprints[@]} certificates and $(find "$pkg/installed" -name '*.key.pem' | wc -l) keys in $pkg/installed"

  local manifest
  # The manifest has one entry per role, so a dual-use certificate appears twice.
  manifest=$(jq -r '[.certificates[].thumbprintSha256 | ascii_downcase] | unique | join(" ")' "$pkg/package.json")
  if [[ "$manifest" != "$(printf '%s\n' "${thumbprints[@]}" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')" ]]; then
    echo "    warning: the installed certificates differ from the manifest, so device-service will record INSTALL_MISMATCH"
  fi

  printf '%s\n' "${thumbprints[@]}" | jq -R . | jq -s --arg package "$package_id" '{packageId: $package, thumbprints: .}' \
    > "$pkg/installation.json"
  local answer
  answer=$(device_api POST "$DEVICE_URL/api/devices/$device_id/installations" "$device_id" device-service \
    -H 'Content-Type: application/json' --data-binary "@$pkg/installation.json")
  echo "    reported ${#thumbprints[@]} thumbprints: $(jq -r '.state + (if .reasonCode then " " + .reasonCode + ": " + .detail else "" end)' <<< "$answer")"
}

echo "== Company Portal on each device"
for entry in "${users[@]}"; do
  IFS='|' read -r _ _ _ _ _ device_id _ <<< "$entry"
  dir="$work/devices/$device_id"
  device_api GET "$NOTIFICATION_URL/api/devices/$device_id/company-portal/notifications" "$device_id" notification-service \
    > "$dir/company-portal-notifications.json"
  echo "  $device_id: $(jq length "$dir/company-portal-notifications.json") Company Portal notifications" \
    "$(jq -c '[.[].title]' "$dir/company-portal-notifications.json")"
  device_api GET "$CERTIFICATE_URL/api/devices/$device_id/packages" "$device_id" certificate-service > "$dir/packages.json"
  echo "  $device_id: $(jq length "$dir/packages.json") packages"
  # Fields are joined with "|", because read merges consecutive tabs and so would drop empty fields.
  while IFS='|' read -r package_id status reason download_path; do
    echo "  package $package_id: $status${reason:+ $reason}"
    if [[ "$status" == READY ]]; then
      install_package "$device_id" "$package_id" "$download_path"
    fi
  done < <(jq -r '.[] | [.packageId, .status, (.reasonCode // ""), (.downloadPath // "")] | join("|")' "$dir/packages.json")
done

# ---------------------------------------------------------------------------------------------------
echo "== Policy reports (GET $DEVICE_URL/api/reports/policies/{policyId})"
for group in "$email_group" "$portal_group"; do
  report=$(api GET "$DEVICE_URL/api/reports/policies/${policy_of_group[$group]}")
  jq -r '"  \"\(.policyName)\" version \(.policyVersion), \(.assignedUsers) assigned users",
         "    counts    \(.counts | tojson)", "    byState   \(.byState | tojson)", "    byReason  \(.byReasonCode | tojson)"' <<< "$report"
done

echo "== Notifications (GET $NOTIFICATION_URL/api/notifications?userId=...)"
# The e-mail waits for notification-service's gather delay (30 s by default), so it may still be PENDING here.
for entry in "${users[@]}"; do
  IFS='|' read -r user_id email _ _ _ _ _ <<< "$entry"
  QUIET=1 api GET "$NOTIFICATION_URL/api/notifications?userId=$user_id" \
    | jq -r --arg email "$email" '.[] | "  \($email): \(.kind) by \(.channel) in \(.language): " +
        ([.deliveries[] | "\(.channel) \(.status)" + (if .reasonCode then " " + .reasonCode else "" end)] | join(", "))'
done

echo "== Devices (GET $DEVICE_URL/api/devices/{deviceId}/status)"
for entry in "${users[@]}"; do
  IFS='|' read -r _ email _ _ _ device_id _ <<< "$entry"
  status=$(QUIET=1 api GET "$DEVICE_URL/api/devices/$device_id/status")
  echo "$status" > "$work/devices/$device_id/status.json"
  state=$(jq -r 'if (.policies | length) == 0 then "NONE" else
    [.policies[] | .state + (if .reasonCode then " " + .reasonCode else "" end)] | join(", ") end' <<< "$status")
  printf '  %-17s %-26s %s\n' "$device_id" "$email" "$state"
  jq -r '.policies[] | select(.detail) | "      \(.detail)"' <<< "$status"
  device_state[$device_id]=$state
done

# ---------------------------------------------------------------------------------------------------
echo "== Checks"
for entry in "${users[@]}"; do
  IFS='|' read -r _ _ _ _ _ device_id _ <<< "$entry"
  if [[ "${device_state[$device_id]}" == "${expected[$device_id]}" ]]; then
    pass "$device_id: expected ${expected[$device_id]}, got ${device_state[$device_id]}"
  else
    fail "$device_id: expected ${expected[$device_id]}, got ${device_state[$device_id]}"
  fi
done

# Prints the installed file (certificate or key) of the manifest entry that SELECTOR picks, such as
# '.role == "SIGNING"', or nothing.
installed_file() {
  local pkg=$1 selector=$2 suffix=$3 t
  t=$(jq -r "[.certificates[] | select($selector)][0].thumbprintSha256 // empty | ascii_downcase" "$pkg/package.json")
  [[ -n "$t" && -f "$pkg/installed/$t$suffix" ]] && echo "$pkg/installed/$t$suffix"
  return 0
}

for entry in "${users[@]}"; do
  IFS='|' read -r _ email _ _ _ device_id _ <<< "$entry"
  [[ "${device_state[$device_id]}" == INSTALLED ]] || continue
  local_part=${email%@*}
  pkg="$work/devices/$device_id/packages/$(jq -r '.policies[0].packageId' "$work/devices/$device_id/status.json")"
  checks="$pkg/checks"
  mkdir -p "$checks"

  # Old mail: one of the installed encryption keys that are not current must open it.
  opened=""
  for key in $(jq -r '.certificates[] | select(.role == "ENCRYPTION" and (.current | not)) | .thumbprintSha256 | ascii_downcase' \
      "$pkg/package.json"); do
    if openssl cms -decrypt -debug_decrypt -in "$work/mail/old-$local_part.eml" -inkey "$pkg/installed/$key.key.pem" \
        -recip "$pkg/installed/$key.pem" -out "$checks/old-mail.txt" 2> /dev/null \
        && grep -qF "marker $(cat "$work/mail/old-$local_part.marker")" "$checks/old-mail.txt"; then
      opened=$key
      break
    fi
  done
  if [[ -n "$opened" ]]; then
    pass "$device_id: mail/old-$local_part.eml opens with the installed old key ${opened:0:8}"
  else
    fail "$device_id: no installed encryption key opens mail/old-$local_part.eml"
  fi

  # New mail: sign with the installed signing key, encrypt to the current encryption certificate,
  # then decrypt with its key and verify the signature against the installed CA certificates.
  signing_cert=$(installed_file "$pkg" '.role == "SIGNING"' .pem)
  signing_key=$(installed_file "$pkg" '.role == "SIGNING"' .key.pem)
  encryption_cert=$(installed_file "$pkg" '.role == "ENCRYPTION" and .current' .pem)
  encryption_key=$(installed_file "$pkg" '.role == "ENCRYPTION" and .current' .key.pem)
  if [[ -z "$signing_cert" || -z "$signing_key" || -z "$encryption_cert" || -z "$encryption_key" ]]; then
    fail "$device_id: the package lacks an installed signing or current encryption certificate with its key"
    continue
  fi
  printf 'Content-Type: text/plain; charset=UTF-8\r\n\r\nNew mail from %s at %s\r\n' "$email" "$(date -u +%FT%TZ)" \
    > "$checks/new-mail.txt"
  if openssl cms -sign -in "$checks/new-mail.txt" -signer "$signing_cert" -inkey "$signing_key" -out "$checks/signed.eml" \
      && openssl cms -encrypt -aes256 -in "$checks/signed.eml" -out "$checks/encrypted.eml" "$encryption_cert" \
      && openssl cms -decrypt -in "$checks/encrypted.eml" -recip "$encryption_cert" -inkey "$encryption_key" \
           -out "$checks/decrypted.eml" \
      && openssl cms -verify -in "$checks/decrypted.eml" -CAfile "$pkg/trusted-certificates.pem" -purpose smimesign \
           -out "$checks/verified.txt" 2> "$checks/verify.log" \
      && grep -q "New mail from $email" "$checks/verified.txt"; then
    signing_name=${signing_cert##*/}
    encryption_name=${encryption_cert##*/}
    pass "$device_id: new mail signed with the key of certificate ${signing_name:0:8} and encrypted to certificate" \
      "${encryption_name:0:8} decrypts and verifies against the installed CA certificates"
  else
    fail "$device_id: signing, encrypting, decrypting or verifying new mail failed (files in $checks)"
  fi
done

echo "== Where to look"
echo "  Landing pages: $DEVICE_URL/landing/<device id>, such as $DEVICE_URL/landing/iphone-mario-c1"
echo "  E-mail to mario.rossi and giulia.bianchi: Mailpit (docker compose) or the local stack's IMAP server,"
echo "  about 30 s after their packages. Company Portal list: $NOTIFICATION_URL/api/users/u-4003/company-portal/notifications"
echo "  Work folder: $work (device keys, packages and installed files in devices/<device id>/)"
if (( failures == 0 )); then
  echo "Scenario PASSED."
else
  echo "Scenario FAILED: $failures checks failed, see the FAIL lines above."
  exit 1
fi
