# Sourced by scripts/kafka for `--security`: the secured broker's listeners, its throw-away
# TLS material and users, and the ready client configs it writes into build/kafka/secure/.
#
# Listeners (P = MIB_KAFKA_PORT_BASE + 500; the controller is on P+1, PLAINTEXT):
#   P    SASL_PLAINTEXT  PLAIN (admin/admin-secret, trader/trader-secret),
#                        SCRAM-SHA-256 and -512 (alice/alice-secret), and OAUTHBEARER
#                        checked by Kafka's unsecured JWT validator (unsigned tokens: for
#                        tests only; a session ends with its token unless the client
#                        re-authenticates, KIP-368), and GSSAPI
#                        (Kerberos: trader@MIB.TEST, keytab kdc/client.keytab)
#   P+2  SSL             client certificate required (mutual TLS)
#   P+3  SASL_SSL        SCRAM-SHA-256 and -512 only: PLAIN is refused here
#   P+4  SSL             a certificate for kafka.invalid, not 127.0.0.1 (hostname checks)
#   P+6  Kerberos KDC    MIT krb5kdc, realm MIB.TEST, TCP only (build/kafka/secure/kdc/)
# Every credential and key here is a test fixture, made fresh at each start.

secure_dir="$root/build/kafka/secure"
tls_dir="$secure_dir/tls"
kdc_dir="$secure_dir/kdc"
realm=MIB.TEST

security_port() {
  case $1 in
    sasl) echo "$base_port" ;;
    mtls) echo $((base_port + 2)) ;;
    sasl_ssl) echo $((base_port + 3)) ;;
    wronghost) echo $((base_port + 4)) ;;
    kdc) echo $((base_port + 6)) ;;
  esac
}
# The ports beyond the broker's and the controller's, for the free-port check.
security_extra_ports() {
  echo "$(security_port mtls) $(security_port sasl_ssl) $(security_port wronghost) $(security_port kdc)"
}

# A CA, a second CA that signed nothing here, the brokers' certificates and the clients':
# one plain, one whose key has a password (key-secret), one expired in 2020. EC P-256 keys
# in PKCS#8, the form Kafka's PEM keystores read.
make_tls_material() {
  rm -rf "$tls_dir"
  mkdir -p "$tls_dir/ca-db"
  (
    cd "$tls_dir"
    key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
    # sign NAME SUBJECT SAN EKU: a key and a certificate of the test CA, valid ten years.
    sign() {
      key "$1.key"
      openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
      printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\n' "$3" "$4" > "$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
        -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    }
    key ca.key
    openssl req -x509 -new -key ca.key -out ca.pem -days 3650 -subj "/CN=mib-stream test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    key other-ca.key
    openssl req -x509 -new -key other-ca.key -out other-ca.pem -days 3650 -subj "/CN=another CA"
    sign broker "/CN=127.0.0.1" "IP:127.0.0.1,DNS:localhost" serverAuth
    sign wronghost "/CN=kafka.invalid" "DNS:kafka.invalid" serverAuth
    sign client "/CN=trader" "DNS:trader" clientAuth
    openssl pkcs8 -topk8 -in client.key -v2 aes-256-cbc -passout pass:key-secret \
      -out client-protected.key
    # x509 -req cannot date a certificate in the past; `openssl ca` can.
    : > ca-db/index.txt
    echo 01 > ca-db/serial
    cat > ca.cnf <<'CNF'
[ca]
default_ca = test
[test]
database = ca-db/index.txt
serial = ca-db/serial
new_certs_dir = ca-db
default_md = sha256
policy = any
[any]
commonName = supplied
[client]
extendedKeyUsage = clientAuth
basicConstraints = CA:FALSE
CNF
    key expired.key
    openssl req -new -key expired.key -subj "/CN=trader" -out expired.csr
    openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr \
      -out expired.pem -startdate 20200101000000Z -enddate 20200102000000Z -extensions client \
      -notext 2>/dev/null
    # Kafka's PEM keystore: the private key and its certificate in one file.
    cat broker.key broker.pem > broker-keystore.pem
    cat wronghost.key wronghost.pem > wronghost-keystore.pem
    rm -f ./*.csr ./*.ext
  ) || die "openssl could not make the test certificates"
}

# A throw-away Kerberos realm: its client config (for the broker's JVM, librdkafka's
# Cyrus SASL and kinit alike: KRB5_CONFIG), a KDC database, the broker's service principal
# kafka/127.0.0.1 (librdkafka asks for a ticket to the host it connects to, as written) and
# the client trader, each with a keytab.
make_kdc() {
  local port; port=$(security_port kdc)
  rm -rf "$kdc_dir"
  mkdir -p "$kdc_dir"
  cat > "$kdc_dir/krb5.conf" <<CONF
[libdefaults]
  default_realm = $realm
  dns_lookup_realm = false
  dns_lookup_kdc = false
  rdns = false
  dns_canonicalize_hostname = false
  udp_preference_limit = 1
  ticket_lifetime = 1h
  renew_lifetime = 1d
[realms]
  $realm = {
    kdc = 127.0.0.1:$port
  }
CONF
  cat > "$kdc_dir/kdc.conf" <<CONF
[kdcdefaults]
  kdc_listen = 127.0.0.1:$port
  kdc_tcp_listen = 127.0.0.1:$port
[realms]
  $realm = {
    database_name = $kdc_dir/principal
    key_stash_file = $kdc_dir/stash
    acl_file = $kdc_dir/kadm5.acl
    max_life = 1h
    max_renewable_life = 1d
    supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
  }
[logging]
  kdc = FILE:$kdc_dir/kdc.log
CONF
  : > "$kdc_dir/kadm5.acl"
  command -v krb5kdc >/dev/null || die "krb5kdc is missing; run scripts/bootstrap"
  (
    export KRB5_CONFIG="$kdc_dir/krb5.conf" KRB5_KDC_PROFILE="$kdc_dir/kdc.conf"
    kdb5_util create -s -r "$realm" -P kdc-master-secret
    kadmin.local -r "$realm" -q "addprinc -randkey kafka/127.0.0.1@$realm"
    kadmin.local -r "$realm" -q "addprinc -randkey trader@$realm"
    kadmin.local -r "$realm" -q "ktadd -k $kdc_dir/broker.keytab kafka/127.0.0.1@$realm"
    kadmin.local -r "$realm" -q "ktadd -k $kdc_dir/client.keytab trader@$realm"
  ) > "$kdc_dir/setup.log" 2>&1 || { cat "$kdc_dir/setup.log" >&2; die "the test KDC could not be set up"; }
}

# The pid lives with the cluster (its port base), so that stopping another base's broker
# leaves this KDC alone.
kdc_pid_file() { echo "$cluster_dir/kdc.pid"; }
kdc_pid() { cat "$(kdc_pid_file)" 2>/dev/null || true; }
kdc_alive() { local pid; pid=$(kdc_pid); [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; }

start_kdc() {
  KRB5_CONFIG="$kdc_dir/krb5.conf" KRB5_KDC_PROFILE="$kdc_dir/kdc.conf" \
    setsid krb5kdc -n -P "$(kdc_pid_file)" > "$kdc_dir/console.log" 2>&1 < /dev/null &
  local i
  for i in $(seq 1 50); do
    [[ -n "$(port_holder "$(security_port kdc)")" ]] && return 0
    kill -0 $! 2>/dev/null || break
    sleep 0.1
  done
  cat "$kdc_dir/console.log" "$kdc_dir/kdc.log" >&2 2>/dev/null || true
  die "the test KDC did not start on 127.0.0.1:$(security_port kdc)"
}

stop_kdc() {
  local pid; pid=$(kdc_pid)
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  rm -f "$(kdc_pid_file)"
}

# The listener lines of the secured broker.
security_listener_config() {
  local i=$1 p_sasl p_mtls p_sasl_ssl p_wrong
  p_sasl=$(security_port sasl) p_mtls=$(security_port mtls)
  p_sasl_ssl=$(security_port sasl_ssl) p_wrong=$(security_port wronghost)
  local jaas_plain='org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_trader="trader-secret";'
  local jaas_scram='org.apache.kafka.common.security.scram.ScramLoginModule required;'
  local jaas_oauth='org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;'
  local unsecured=org.apache.kafka.common.security.oauthbearer.internals.unsecured
  cat <<PROPS
listeners=SASL_PLAINTEXT://127.0.0.1:$p_sasl,CONTROLLER://127.0.0.1:$(controller_port "$i"),MTLS://127.0.0.1:$p_mtls,SASL_SSL://127.0.0.1:$p_sasl_ssl,WRONGHOST://127.0.0.1:$p_wrong
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$p_sasl,MTLS://127.0.0.1:$p_mtls,SASL_SSL://127.0.0.1:$p_sasl_ssl,WRONGHOST://127.0.0.1:$p_wrong
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT,MTLS:SSL,SASL_SSL:SASL_SSL,WRONGHOST:SSL
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER,GSSAPI
listener.name.sasl_plaintext.gssapi.sasl.jaas.config=com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true keyTab="$kdc_dir/broker.keytab" principal="kafka/127.0.0.1@$realm";
sasl.kerberos.service.name=kafka
listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config=$jaas_oauth
listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class=$unsecured.OAuthBearerUnsecuredValidatorCallbackHandler
listener.name.sasl_plaintext.oauthbearer.connections.max.reauth.ms=60000
listener.name.sasl_plaintext.plain.sasl.jaas.config=$jaas_plain
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=$jaas_scram
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$jaas_scram
listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=$jaas_scram
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$jaas_scram
ssl.keystore.type=PEM
ssl.keystore.location=$tls_dir/broker-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$tls_dir/ca.pem
listener.name.mtls.ssl.client.auth=required
listener.name.wronghost.ssl.keystore.type=PEM
listener.name.wronghost.ssl.keystore.location=$tls_dir/wronghost-keystore.pem
PROPS
}

# --add-scram arguments for the storage format: KRaft takes SCRAM users only then.
security_format_args() {
  printf '%s\n' --add-scram 'SCRAM-SHA-256=[name="alice",password="alice-secret"]' \
    --add-scram 'SCRAM-SHA-512=[name="alice",password="alice-secret"]'
}

# One ready TOML file per way in, for mib::Config::load and `mib-stream -F`.
write_secure_configs() {
  mkdir -p "$secure_dir"
  local mechanism user password file
  for mechanism in Plain ScramSha256 ScramSha512; do
    case $mechanism in
      Plain) user=trader password=trader-secret file=sasl-plain ;;
      ScramSha256) user=alice password=alice-secret file=sasl-scram-sha-256 ;;
      ScramSha512) user=alice password=alice-secret file=sasl-scram-sha-512 ;;
    esac
    write_sasl_config "$file" "SASL_PLAINTEXT with $mechanism (throw-away test user)" \
      "$mechanism" "username = \"$user\"" "password = \"$password\""
  done
  write_sasl_config sasl-oauthbearer "OAUTHBEARER with librdkafka's unsecured JWT (tests only)" \
    OAuthBearer 'oauthbearer_config = "principal=alice lifeSeconds=3600"'
  write_sasl_config sasl-gssapi "GSSAPI (Kerberos) with a keytab; Kerberos finds the test
# realm through the environment: export KRB5_CONFIG=$kdc_dir/krb5.conf" Gssapi \
    'kerberos_service_name = "kafka"' "kerberos_principal = \"trader@$realm\"" \
    "kerberos_keytab = \"$kdc_dir/client.keytab\""
  local mtls_port sasl_ssl_port
  mtls_port=$(security_port mtls) sasl_ssl_port=$(security_port sasl_ssl)
  write_tls_config mtls "TLS with a client certificate (mutual TLS)" "$mtls_port" Ssl \
    "cert_file = \"$tls_dir/client.pem\"" "key_file = \"$tls_dir/client.key\""
  write_tls_config mtls-key-password "mutual TLS with a client key that has a password" \
    "$mtls_port" Ssl "cert_file = \"$tls_dir/client.pem\"" \
    "key_file = \"$tls_dir/client-protected.key\"" 'key_password = "key-secret"'
  write_tls_config sasl-ssl-scram-sha-512 "SCRAM-SHA-512 over TLS (SASL_SSL)" "$sasl_ssl_port" \
    SaslSsl
  cat >> "$secure_dir/sasl-ssl-scram-sha-512.toml" <<'TOML'

[security.sasl]
mechanism = "ScramSha512"
username = "alice"
password = "alice-secret"
TOML
}

# write_sasl_config NAME WHAT MECHANISM [SASL-LINE...]: a TOML file for the SASL_PLAINTEXT
# listener.
write_sasl_config() {
  local name=$1 what=$2 mechanism=$3
  shift 3
  {
    echo "# scripts/kafka start --security: $what."
    printf '[brokers]\naddresses = ["127.0.0.1:%s"]\n\n' "$(security_port sasl)"
    printf '[security]\nsecurity_protocol = "SaslPlaintext"\n\n'
    printf '[security.sasl]\nmechanism = "%s"\n' "$mechanism"
    if (($#)); then printf '%s\n' "$@"; fi
  } > "$secure_dir/$name.toml"
}

# write_tls_config NAME WHAT PORT PROTOCOL [SSL-LINE...]: a TOML file verifying the broker
# with the test CA, with any more [security.ssl] lines.
write_tls_config() {
  local name=$1 what=$2 port=$3 protocol=$4
  shift 4
  {
    echo "# scripts/kafka start --security: $what."
    printf '[brokers]\naddresses = ["127.0.0.1:%s"]\n\n' "$port"
    printf '[security]\nsecurity_protocol = "%s"\n\n' "$protocol"
    printf '[security.ssl]\nca_file = "%s"\nverify_hostname = true\n' "$tls_dir/ca.pem"
    if (($#)); then printf '%s\n' "$@"; fi
  } > "$secure_dir/$name.toml"
}

security_summary() {
  echo "SASL_PLAINTEXT (PLAIN, SCRAM, OAUTHBEARER, GSSAPI) at 127.0.0.1:$(security_port sasl), mutual TLS at :$(security_port mtls), SASL_SSL (SCRAM) at :$(security_port sasl_ssl), TLS for kafka.invalid at :$(security_port wronghost), Kerberos KDC at :$(security_port kdc) (export KRB5_CONFIG=$kdc_dir/krb5.conf); configs in $secure_dir"
}
