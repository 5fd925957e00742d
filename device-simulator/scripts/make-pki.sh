#!/usr/bin/env bash
# Creates the test PKI of the S/MIME delivery scenario with the openssl command line: a root CA, an
# issuing CA and the users' S/MIME certificates, each with its key in a PKCS#12 file of its own.
# Needs bash, coreutils, GNU date and openssl 3.0 or later. Run with --help for the layout it writes.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: make-pki.sh OUT_DIR

Creates the test PKI of the S/MIME delivery scenario in OUT_DIR, which must be missing or empty:

  OUT_DIR/root-ca.pem           root CA certificate (PEM), valid from 10 years ago to 10 years from now
  OUT_DIR/issuing-ca.pem        issuing CA certificate (PEM), signed by the root, path length 0
  OUT_DIR/ca/                   CA private keys and openssl ca databases (mode 700)
  OUT_DIR/pkcs12/<local part>-<purpose>-<age>.p12
                                one user key with its certificate and the issuing CA certificate
  OUT_DIR/pkcs12-passwords.txt  "<file name> <password>" per PKCS#12 file (mode 600)

Ages: expired (ended 10 days ago), superseded (started 300 days ago), current (started 2 days
ago) and renewal (started 1 hour ago). Encodings: legacy (3DES, SHA-1 MAC) and aes (PBES2
AES-256-CBC, SHA-256 MAC). The script prints no password and no key.
EOF
}

if [[ $# -eq 1 && ( "$1" == "--help" || "$1" == "-h" ) ]]; then
  usage
  exit 0
fi
if [[ $# -ne 1 ]]; then
  echo "make-pki.sh: expected one argument, the output folder, but got $#. Run make-pki.sh --help for the layout." >&2
  exit 2
fi
if [[ "$1" == -* ]]; then
  echo "make-pki.sh: unknown option $1. The only argument is the output folder (write ./$1 for a folder of that name)." >&2
  exit 2
fi

out_arg=$1
if [[ -e "$out_arg" && ! -d "$out_arg" ]]; then
  echo "make-pki.sh: $out_arg exists and is not a folder. Give a new or empty folder." >&2
  exit 2
fi
if [[ -d "$out_arg" ]] && [[ -n "$(ls -A -- "$out_arg")" ]]; then
  echo "make-pki.sh: the folder $out_arg is not empty. Give a new or empty folder, because every run" \
       "makes new keys." >&2
  exit 2
fi
command -v openssl > /dev/null || { echo "make-pki.sh: the openssl command is not on the PATH." >&2; exit 1; }
date -u -d '2000-01-01 00:00:00 UTC + 1 day' +%s > /dev/null 2>&1 \
  || { echo "make-pki.sh: GNU date is required (date -d with relative times failed)." >&2; exit 1; }

# Everything written here is private to the user: the CA keys, the user keys before they go into
# their PKCS#12 files, and the passwords.
umask 077
mkdir -p -- "$out_arg"
out=$(cd -- "$out_arg" && pwd)
ca="$out/ca"
work="$ca/work"
mkdir -p "$ca" "$work" "$out/pkcs12"
chmod 700 "$out" "$ca" "$work" "$out/pkcs12"
# The unencrypted user keys live in $work only until their PKCS#12 file is written.
trap 'rm -rf -- "$work"' EXIT

# Runs openssl with its diagnostics in $ca/openssl.log, so that a failure shows them and success stays quiet.
run_openssl() {
  if ! openssl "$@" >> "$ca/openssl.log" 2>&1; then
    echo "make-pki.sh: openssl $1 failed. The last 20 lines of $ca/openssl.log:" >&2
    tail -n 20 "$ca/openssl.log" >&2
    exit 1
  fi
}

now=$(date -u +%s)
now_text=$(date -u -d "@$now" '+%Y-%m-%d %H:%M:%S')

# Prints the time SECONDS from now (negative for the past) as an ASN.1 GeneralizedTime for openssl ca.
time_after() {
  date -u -d "@$((now + $1))" +%Y%m%d%H%M%SZ
}

# Prints the time that is a calendar offset such as "-10 years" from now, as a GeneralizedTime.
time_after_calendar() {
  date -u -d "$now_text UTC $1" +%Y%m%d%H%M%SZ
}

# Prints a GeneralizedTime as ISO 8601, such as 2026-12-05T01:10:36Z.
iso_time() {
  local t=$1
  printf '%s-%s-%sT%s:%s:%sZ' "${t:0:4}" "${t:4:2}" "${t:6:2}" "${t:8:2}" "${t:10:2}" "${t:12:2}"
}

# Prints a password of 20 characters from [A-HJ-NP-Za-km-z2-9]. tr keeps only bytes in that set, so
# every character is equally likely.
new_password() {
  local password=""
  while (( ${#password} < 20 )); do
    password+=$(openssl rand 256 | LC_ALL=C tr -dc 'A-HJ-NP-Za-km-z2-9' | head -c $((20 - ${#password})))
  done
  printf '%s' "$password"
}

# Extensions of every user certificate, which each purpose completes with its key usage. email:copy
# puts the subject's emailAddress into the subject alternative name.
user_extensions='basicConstraints = critical, CA:false
extendedKeyUsage = emailProtection
subjectAltName = email:copy
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always'

# Writes the openssl ca configuration of one CA. The root CA signs itself and the issuing CA, and the
# issuing CA signs the users' certificates. Serial numbers are random (rand_serial).
write_ca_config() {
  local name=$1 dir="$ca/$1"
  mkdir -p "$dir/newcerts"
  : > "$dir/index.txt"
  cat > "$dir/openssl.cnf" <<EOF
[ ca ]
default_ca = scenario_ca

[ scenario_ca ]
dir = $dir
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
certificate = $out/$name-ca.pem
private_key = $ca/$name-ca.key
rand_serial = yes
default_md = sha256
unique_subject = no
copy_extensions = none
preserve = yes
email_in_dn = yes
policy = scenario_policy

[ scenario_policy ]
countryName = optional
organizationName = optional
emailAddress = optional
commonName = supplied

[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused

[ root_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ issuing_ca ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ user_encryption ]
$user_extensions
keyUsage = critical, keyEncipherment

[ user_signing ]
$user_extensions
keyUsage = critical, digitalSignature, nonRepudiation

[ user_dual ]
$user_extensions
keyUsage = critical, digitalSignature, keyEncipherment
EOF
}

# Validity of each age, as in the device simulator's scenario. Expired and superseded encryption
# certificates keep old mail readable and the current one encrypts new mail. The renewal certificate,
# which starts an hour ago, is for testing a renewal after the first delivery.
declare -A age_start=(
  [expired]=$(time_after $((-740 * 86400)))
  [superseded]=$(time_after $((-300 * 86400)))
  [current]=$(time_after $((-2 * 86400)))
  [renewal]=$(time_after -3600)
)
declare -A age_end=(
  [expired]=$(time_after $((-10 * 86400)))
  [superseded]=$(time_after $((365 * 86400)))
  [current]=$(time_after $((730 * 86400)))
  [renewal]=$(time_after $((1095 * 86400)))
)
declare -A encoding_options=(
  [legacy]='-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1'
  [aes]='-keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256'
)
declare -A encoding_label=(
  [legacy]='legacy (3DES, SHA-1 MAC)'
  [aes]='aes (PBES2 AES-256-CBC, SHA-256 MAC)'
)
# What `openssl pkcs12 -info` prints for each encoding, checked after writing each file.
declare -A encoding_info=(
  [legacy]='pbeWithSHA1And3-KeyTripleDES-CBC|MAC: sha1,'
  [aes]='AES-256-CBC|MAC: sha256,'
)

# The openssl verify purposes that each certificate purpose must pass. A dual-use certificate passes both.
declare -A verify_purposes=(
  [encryption]='smimeencrypt'
  [signing]='smimesign'
  [dual]='smimesign smimeencrypt'
)

# user e-mail, display name, purpose, age, encoding
files=(
  "mario.rossi@example.it|Mario Rossi|encryption|expired|legacy"
  "mario.rossi@example.it|Mario Rossi|encryption|superseded|legacy"
  "mario.rossi@example.it|Mario Rossi|encryption|current|aes"
  "mario.rossi@example.it|Mario Rossi|signing|current|legacy"
  "giulia.bianchi@example.it|Giulia Bianchi|encryption|expired|aes"
  "giulia.bianchi@example.it|Giulia Bianchi|encryption|superseded|aes"
  "giulia.bianchi@example.it|Giulia Bianchi|encryption|current|legacy"
  "giulia.bianchi@example.it|Giulia Bianchi|signing|current|aes"
  "giulia.bianchi@example.it|Giulia Bianchi|encryption|renewal|aes"
  "luca.verdi@example.it|Luca Verdi|encryption|expired|legacy"
  "luca.verdi@example.it|Luca Verdi|encryption|superseded|aes"
  "luca.verdi@example.it|Luca Verdi|dual|current|legacy"
  # Anna Neri has no encryption certificate, so her deliveries fail with NO_ENCRYPTION_CERTIFICATE.
  "anna.neri@example.it|Anna Neri|signing|current|aes"
  "sara.galli@example.it|Sara Galli|encryption|superseded|aes"
  "sara.galli@example.it|Sara Galli|encryption|current|legacy"
  "sara.galli@example.it|Sara Galli|signing|current|aes"
  # Paolo Conti has no signing certificate: his policy's device gets one over SCEP.
  "paolo.conti@example.it|Paolo Conti|encryption|superseded|legacy"
  "paolo.conti@example.it|Paolo Conti|encryption|current|aes"
)

new_rsa_key() {
  run_openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1"
}

echo "== Test PKI in $out"

# The root CA signs its own request with openssl ca -selfsign, because openssl req -x509 takes a start
# date (-not_before) only from OpenSSL 3.4 on.
write_ca_config root
write_ca_config issuing
new_rsa_key "$ca/root-ca.key"
run_openssl req -new -config "$ca/root/openssl.cnf" -key "$ca/root-ca.key" \
  -subj '/C=IT/O=S\/MIME Delivery Scenario/CN=Scenario Root CA' -out "$work/root-ca.csr"
run_openssl ca -batch -notext -selfsign -config "$ca/root/openssl.cnf" -keyfile "$ca/root-ca.key" \
  -extensions root_ca -startdate "$(time_after_calendar '-10 years')" -enddate "$(time_after_calendar '+10 years')" \
  -in "$work/root-ca.csr" -out "$out/root-ca.pem"

new_rsa_key "$ca/issuing-ca.key"
run_openssl req -new -config "$ca/issuing/openssl.cnf" -key "$ca/issuing-ca.key" \
  -subj '/C=IT/O=S\/MIME Delivery Scenario/CN=Scenario Issuing CA' -out "$work/issuing-ca.csr"
run_openssl ca -batch -notext -config "$ca/root/openssl.cnf" \
  -extensions issuing_ca -startdate "$(time_after_calendar '-5 years')" -enddate "$(time_after_calendar '+5 years')" \
  -in "$work/issuing-ca.csr" -out "$out/issuing-ca.pem"
echo "  root-ca.pem     $(openssl x509 -in "$out/root-ca.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
echo "  issuing-ca.pem  $(openssl x509 -in "$out/issuing-ca.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"

passwords="$out/pkcs12-passwords.txt"
printf '# PKCS#12 file, password\n' > "$passwords"
chmod 600 "$passwords"

# Issues one user certificate with openssl ca and writes its PKCS#12 file, then reads the file back
# with its password and checks the encoding, the certificate chain and the validity dates.
issue_user_file() {
  local email=$1 display_name=$2 purpose=$3 age=$4 encoding=$5
  local file="${email%@*}-$purpose-$age.p12"
  local start=${age_start[$age]} end=${age_end[$age]}
  local key="$work/user.key" cert="$work/user.pem"

  new_rsa_key "$key"
  run_openssl req -new -config "$ca/issuing/openssl.cnf" -key "$key" \
    -subj "/C=IT/O=Example/emailAddress=$email/CN=$display_name" -out "$work/user.csr"
  run_openssl ca -batch -notext -config "$ca/issuing/openssl.cnf" -extensions "user_$purpose" \
    -startdate "$start" -enddate "$end" -in "$work/user.csr" -out "$cert"

  local password
  password=$(new_password)
  # The password reaches openssl through the environment, which only the same user and root can read,
  # and not through the command line, which ps shows to every user.
  # shellcheck disable=SC2086 # the encoding options are several words on purpose
  PKI_PKCS12_PASSWORD=$password run_openssl pkcs12 -export -inkey "$key" -in "$cert" \
    -certfile "$out/issuing-ca.pem" -name "$email $purpose" ${encoding_options[$encoding]} \
    -passout env:PKI_PKCS12_PASSWORD -out "$out/pkcs12/$file"
  rm -f -- "$key"
  printf '%s %s\n' "$file" "$password" >> "$passwords"

  check_file "$file" "$password" "$purpose" "$encoding" "$age" "$start" "$end"
  printf '  %-40s %-10s %-10s %s to %s  %s\n' "$file" "$purpose" "$age" "$(iso_time "$start")" "$(iso_time "$end")" \
    "${encoding_label[$encoding]}"
}

# Fails the script with a message about one PKCS#12 file.
check_failed() {
  echo "make-pki.sh: check of $1 failed: $2" >&2
  exit 1
}

check_file() {
  local file=$1 password=$2 purpose=$3 encoding=$4 age=$5 start=$6 end=$7
  local info expected text extracted="$work/check.pem"

  info=$(PKI_PKCS12_PASSWORD=$password openssl pkcs12 -in "$out/pkcs12/$file" -info -noout \
    -passin env:PKI_PKCS12_PASSWORD 2>&1) || check_failed "$file" "openssl pkcs12 -info cannot read it: $info"
  IFS='|' read -r -a expected <<< "${encoding_info[$encoding]}"
  for text in "${expected[@]}"; do
    [[ "$info" == *"$text"* ]] || check_failed "$file" "openssl pkcs12 -info does not show \"$text\""
  done
  PKI_PKCS12_PASSWORD=$password run_openssl pkcs12 -in "$out/pkcs12/$file" -nokeys -clcerts \
    -passin env:PKI_PKCS12_PASSWORD -out "$extracted"
  cmp -s <(openssl x509 -in "$extracted" -outform DER) <(openssl x509 -in "$work/user.pem" -outform DER) \
    || check_failed "$file" "the certificate in the file is not the one just issued"

  local dates
  dates=$(openssl x509 -in "$extracted" -noout -startdate -enddate -dateopt iso_8601)
  [[ "$dates" == *"notBefore=$(date -u -d "$(iso_time "$start")" '+%Y-%m-%d %H:%M:%SZ')"* \
     && "$dates" == *"notAfter=$(date -u -d "$(iso_time "$end")" '+%Y-%m-%d %H:%M:%SZ')"* ]] \
    || check_failed "$file" "unexpected validity: $dates"

  # Every certificate must chain to the root for its S/MIME purpose at a time inside its validity.
  local inside=$(( $(date -u -d "$(iso_time "$start")" +%s) + 60 )) verify_purpose
  for verify_purpose in ${verify_purposes[$purpose]}; do
    openssl verify -CAfile "$out/root-ca.pem" -untrusted "$out/issuing-ca.pem" -purpose "$verify_purpose" \
      -attime "$inside" "$extracted" > /dev/null 2>&1 \
      || check_failed "$file" "openssl verify -purpose $verify_purpose rejects it at its start date"
  done
  # Today only the expired ones may fail. Their chain passed at the start date above, so error 10 is
  # the only possible cause.
  local result
  result=$(openssl verify -CAfile "$out/root-ca.pem" -untrusted "$out/issuing-ca.pem" "$extracted" 2>&1) || true
  if [[ "$age" == expired ]]; then
    [[ "$result" == *"error 10 at 0 depth lookup: certificate has expired"* ]] \
      || check_failed "$file" "expected openssl verify to fail only because it expired: $result"
  else
    [[ "$result" == *": OK" ]] || check_failed "$file" "openssl verify failed: $result"
  fi
}

for entry in "${files[@]}"; do
  IFS='|' read -r email display_name purpose age encoding <<< "$entry"
  issue_user_file "$email" "$display_name" "$purpose" "$age" "$encoding"
done

echo "Wrote root-ca.pem, issuing-ca.pem and ${#files[@]} PKCS#12 files in $out/pkcs12,"
echo "with their passwords in $passwords (mode 600)."
echo "Checked each file: it opens with its password, has the listed encoding and validity, and its"
echo "certificate chains to the root CA (the expired ones fail openssl verify only because they expired)."
