# shellcheck shell=bash
# Part of Scripts/lab.sh (sourced by it): certificates.

# Lab root CA -> intermediate -> leaf (DNS SANs only, no IP SANs).
make_certs() {
  local d=$STATE/ca
  mkdir -p "$d"
  local key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  cat >"$d/ext.cnf" <<'EOF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:mail.lab.test, DNS:closed.lab.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  openssl req -x509 "${key[@]}" -keyout "$d/root.key" -out "$d/root.pem" -days 3650 \
    -subj "/O=smtp-doctor lab/CN=smtp-doctor lab root" \
    -config "$d/ext.cnf" -extensions root 2>/dev/null
  openssl req -new "${key[@]}" -keyout "$d/intermediate.key" -out "$d/intermediate.csr" \
    -subj "/O=smtp-doctor lab/CN=smtp-doctor lab intermediate" 2>/dev/null
  openssl x509 -req -in "$d/intermediate.csr" -CA "$d/root.pem" -CAkey "$d/root.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 3650 \
    -extfile "$d/ext.cnf" -extensions intermediate -out "$d/intermediate.pem" 2>/dev/null
  openssl req -new "${key[@]}" -keyout "$d/mail.key" -out "$d/mail.csr" \
    -subj "/O=smtp-doctor lab/CN=mail.lab.test" 2>/dev/null
  openssl x509 -req -in "$d/mail.csr" -CA "$d/intermediate.pem" -CAkey "$d/intermediate.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 825 \
    -extfile "$d/ext.cnf" -extensions leaf -out "$d/mail.pem" 2>/dev/null
  cat "$d/mail.pem" "$d/intermediate.pem" >"$d/chain.pem"     # what servers send
  rm -f "$d"/*.csr
  chmod 600 "$d"/*.key
  openssl verify -CAfile "$d/root.pem" -untrusted "$d/intermediate.pem" "$d/mail.pem" >/dev/null \
    || die "generated certificate chain does not verify"
}

# Key + request for LABEL with common name CN (in $STATE/ca).
fault_csr() {
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$STATE/ca/$1.key" -out "$STATE/ca/$1.csr" -subj "/O=smtp-doctor lab/CN=$2" 2>/dev/null
}
# Sign LABEL's request with the lab intermediate and extension section LABEL,
# with the given validity options (-days N, or -startdate/-enddate).
fault_sign() {
  local d=$STATE/ca label=$1; shift
  openssl rand -hex 8 >"$d/serial"
  openssl ca -batch -notext -preserveDN -config "$d/ca.cnf" -cert "$d/intermediate.pem" \
    -keyfile "$d/intermediate.key" -in "$d/$label.csr" -out "$d/$label.pem" \
    -extensions "$label" "$@" 2>>"$d/ca.log" || die "openssl ca failed for $label (see $d/ca.log)"
}
# What `openssl verify` says about a certificate of the lab CA (it may fail).
verify_says() {
  local out
  out=$(openssl verify -CAfile "$STATE/ca/root.pem" -untrusted "$STATE/ca/intermediate.pem" "$1" 2>&1) || true
  printf '%s' "$out"
}
asn1time() { echo "${1//[-:T]/}"; }     # 2020-01-01T00:00:00Z -> 20200101000000Z

# Broken certificates for the TLS-inspection hosts (the mail certificate
# above stays as it is). `openssl ca`, because only it sets explicit
# notBefore/notAfter dates (taken from lab.env). In $STATE/ca: LABEL.key,
# LABEL.pem (leaf) and LABEL.chainfiles, the smtpd_tls_chain_files value
# for that host's listeners.
make_fault_certs() {
  local d=$STATE/ca label name sans
  mkdir -p "$d/issued"
  : >"$d/index.txt"
  cat >"$d/ca.cnf" <<EOF2
[ca]
default_ca = lab
[lab]
database = $d/index.txt
new_certs_dir = $d/issued
serial = $d/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
email_in_dn = no
[anything]
commonName = supplied
organizationName = optional
[req]
distinguished_name = dn
[dn]
EOF2
  # One extension section per certificate: DNS SANs only, never IP SANs.
  for label in expired wrongname selfsigned nochain future; do
    name=LAB_${label^^}_NAME
    sans="DNS:${!name}"
    [[ $label == wrongname ]] && sans="DNS:${LAB_WRONGNAME_CERT_NAMES//,/, DNS:}"
    cat >>"$d/ca.cnf" <<EOF2
[$label]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $sans
subjectKeyIdentifier = hash
EOF2
    [[ $label == selfsigned ]] || echo "authorityKeyIdentifier = keyid" >>"$d/ca.cnf"
  done

  fault_csr expired "$LAB_EXPIRED_NAME"
  fault_sign expired -startdate "$(asn1time "$LAB_EXPIRED_NOT_BEFORE")" -enddate "$(asn1time "$LAB_EXPIRED_NOT_AFTER")"
  fault_csr future "$LAB_FUTURE_NAME"
  fault_sign future -startdate "$(asn1time "$LAB_FUTURE_NOT_BEFORE")" -enddate "$(asn1time "$LAB_FUTURE_NOT_AFTER")"
  fault_csr wrongname "${LAB_WRONGNAME_CERT_NAMES%%,*}"
  fault_sign wrongname -days 825
  fault_csr nochain "$LAB_NOCHAIN_NAME"
  fault_sign nochain -days 825
  # Self-signed: its own issuer, not from the lab CA.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$d/selfsigned.key" -out "$d/selfsigned.pem" -days 825 \
    -subj "/O=smtp-doctor lab/CN=$LAB_SELFSIGNED_NAME" -set_serial "0x$(openssl rand -hex 8)" \
    -config "$d/ca.cnf" -extensions selfsigned 2>>"$d/ca.log" || die "self-signed certificate failed"
  rm -f "$d"/*.csr
  chmod 600 "$d"/*.key

  # What each server sends: leaf + intermediate; nochain and selfsigned the leaf only.
  for label in expired wrongname future; do
    echo "$d/$label.key,$d/$label.pem,$d/intermediate.pem" >"$d/$label.chainfiles"
  done
  for label in nochain selfsigned; do echo "$d/$label.key,$d/$label.pem" >"$d/$label.chainfiles"; done

  # Each is broken in its own way only.
  local v=(openssl verify -CAfile "$d/root.pem" -untrusted "$d/intermediate.pem")
  "${v[@]}" "$d/wrongname.pem" "$d/nochain.pem" >/dev/null 2>&1 || die "wrongname/nochain certificate does not verify"
  "${v[@]}" -verify_hostname "$LAB_NOCHAIN_NAME" "$d/nochain.pem" >/dev/null 2>&1 || die "nochain certificate lacks its name"
  "${v[@]}" -verify_hostname "$LAB_WRONGNAME_NAME" "$d/wrongname.pem" >/dev/null 2>&1 \
    && die "wrongname certificate matches $LAB_WRONGNAME_NAME"
  [[ $(verify_says "$d/expired.pem") == *"certificate has expired"* ]] || die "expired certificate is not expired"
  [[ $(verify_says "$d/future.pem") == *"certificate is not yet valid"* ]] || die "future certificate is valid already"
  [[ $(verify_says "$d/selfsigned.pem") == *"self-signed certificate"* ]] || die "selfsigned certificate is not self-signed"
  return 0
}

# The lab's DKIM key pair (RSA 2048): LAB_DKIM_KEY (PKCS#8 PEM) and
# LAB_DKIM_PUB (SubjectPublicKeyInfo DER, whose base64 is the p= of every
# healthy s1._domainkey record in spam.test). A throwaway lab key, readable by
# all so that tests not running as root can sign with it.
make_dkim_key() {
  mkdir -p "${LAB_DKIM_KEY%/*}"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$LAB_DKIM_KEY" 2>/dev/null \
    || die "DKIM key generation failed"
  openssl pkey -in "$LAB_DKIM_KEY" -pubout -outform DER -out "$LAB_DKIM_PUB" 2>/dev/null \
    || die "DKIM public key export failed"
  chmod 644 "$LAB_DKIM_KEY" "$LAB_DKIM_PUB"
}

# Certificates of the hostile TLS ports (faults.py), in LAB_HOSTILE_TLS_DIR:
#   bigcert.key, bigcert.chain.pem     leaf with LAB_HOSTILE_BIGCERT_NAMES DNS
#                                      names (LAB_HOSTILE_NAME last) + the lab intermediate
#   deepchain.key, deepchain.chain.pem leaf for LAB_HOSTILE_NAME + LAB_HOSTILE_DEEPCHAIN_DEPTH-1
#                                      intermediates, the first signed by the lab root
# Both verify to the lab root. Made at every lab start (about 0.8 s, mostly
# the 50 keys of the chain: `openssl req -x509 -CA` makes key and certificate
# in one process).
make_hostile_certs() {
  local d=$LAB_HOSTILE_TLS_DIR ca=$STATE/ca t0 i n depth=$LAB_HOSTILE_DEEPCHAIN_DEPTH
  t0=$(now)
  mkdir -p "$d"
  local key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  {
    cat <<'EOF2'
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[deepleaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF2
    echo "subjectAltName = DNS:$LAB_HOSTILE_NAME"
  } >"$d/ext.cnf"
  {                                 # apart: every openssl run of the chain would parse 10,000 lines
    cat "$d/ext.cnf"
    echo "[bigleaf]"
    echo "basicConstraints = critical, CA:FALSE"
    echo "keyUsage = critical, digitalSignature"
    echo "extendedKeyUsage = serverAuth"
    echo "subjectKeyIdentifier = hash"
    echo "authorityKeyIdentifier = keyid"
    echo "subjectAltName = @bignames"
    echo "[bignames]"
    n=$LAB_HOSTILE_BIGCERT_NAMES
    for ((i = 1; i < n; i++)); do echo "DNS.$i = n$i.$LAB_HOSTILE_NAME"; done
    echo "DNS.$n = $LAB_HOSTILE_NAME"
  } >"$d/bigcert.cnf"

  # 10,000 names, signed by the lab intermediate.
  openssl req -x509 "${key[@]}" -keyout "$d/bigcert.key" -out "$d/bigcert.pem" -days 825 \
    -subj "/O=smtp-doctor lab/CN=$LAB_HOSTILE_NAME" -CA "$ca/intermediate.pem" -CAkey "$ca/intermediate.key" \
    -set_serial "0x$(openssl rand -hex 8)" -config "$d/bigcert.cnf" -extensions bigleaf 2>>"$d/openssl.log" \
    || die "big certificate failed (see $d/openssl.log)"
  cat "$d/bigcert.pem" "$ca/intermediate.pem" >"$d/bigcert.chain.pem"

  # The deep chain: root -> deep 1 -> ... -> deep N-1 -> leaf.
  local prev=$ca/root.pem prevkey=$ca/root.key
  for ((i = 1; i < depth; i++)); do
    openssl req -x509 "${key[@]}" -keyout "$d/deep$i.key" -out "$d/deep$i.pem" -days 825 \
      -subj "/O=smtp-doctor lab/CN=smtp-doctor lab deep intermediate $i" -CA "$prev" -CAkey "$prevkey" \
      -set_serial "$((0x1000 + i))" -config "$d/ext.cnf" -extensions ca 2>>"$d/openssl.log" \
      || die "deep chain certificate $i failed (see $d/openssl.log)"
    prev=$d/deep$i.pem prevkey=$d/deep$i.key
  done
  openssl req -x509 "${key[@]}" -keyout "$d/deepchain.key" -out "$d/deepchain.pem" -days 825 \
    -subj "/O=smtp-doctor lab/CN=$LAB_HOSTILE_NAME" -CA "$prev" -CAkey "$prevkey" \
    -set_serial "0x$(openssl rand -hex 8)" -config "$d/ext.cnf" -extensions deepleaf 2>>"$d/openssl.log" \
    || die "deep chain leaf failed (see $d/openssl.log)"
  {
    cat "$d/deepchain.pem"
    for ((i = depth - 1; i >= 1; i--)); do cat "$d/deep$i.pem"; done
  } >"$d/deepchain.chain.pem"
  rm -f "$d"/deep[0-9]*.key
  chmod 600 "$d"/*.key

  local v=(openssl verify -CAfile "$ca/root.pem" -verify_hostname "$LAB_HOSTILE_NAME")
  "${v[@]}" -untrusted "$ca/intermediate.pem" "$d/bigcert.pem" >/dev/null 2>&1 || die "big certificate does not verify"
  "${v[@]}" -untrusted <(cat "$d"/deep[0-9]*.pem) "$d/deepchain.pem" >/dev/null 2>&1 || die "deep chain does not verify"
  # shellcheck disable=SC2034  # lab.sh logs it
  HOSTILE_CERTS_MS=$(ms_since "$t0")
}
