#!/usr/bin/env bash
# Initialises a throwaway SoftHSM2 token for the signing tests, in a directory of its own.
#
#   scripts/init-softhsm.sh DIR KEY.pem CERT.pem [CA.pem]
#
# Writes DIR/softhsm2.conf (naming DIR/tokens), creates the token "kehoach-test" with user
# PIN 123456 (SO PIN 87654321), imports the PKCS#8 private key and its certificate (and the CA
# certificate when given) under the label "signer" / id 01. Export SOFTHSM2_CONF=DIR/softhsm2.conf
# before loading /usr/lib/softhsm/libsofthsm2.so. Needs Debian's softhsm2 and opensc packages.
set -euo pipefail
dir=$1 key=$2 cert=$3 ca=${4:-}
module=${SOFTHSM2_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
mkdir -p "$dir/tokens"
export SOFTHSM2_CONF="$dir/softhsm2.conf"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
  "$dir/tokens" > "$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label kehoach-test --so-pin 87654321 --pin 123456 >/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$key" -out "$dir/key.p8"
softhsm2-util --import "$dir/key.p8" --token kehoach-test --label signer --id 01 --pin 123456 >/dev/null
rm -f "$dir/key.p8"
openssl x509 -in "$cert" -outform DER -out "$dir/cert.der"
pkcs11-tool --module "$module" --token-label kehoach-test --login --pin 123456 \
  --write-object "$dir/cert.der" --type cert --id 01 --label signer >/dev/null
if [ -n "$ca" ]; then
  openssl x509 -in "$ca" -outform DER -out "$dir/ca.der"
  pkcs11-tool --module "$module" --token-label kehoach-test --login --pin 123456 \
    --write-object "$dir/ca.der" --type cert --id 02 --label ca >/dev/null
fi
echo "$SOFTHSM2_CONF"
