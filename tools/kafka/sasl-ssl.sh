# The SASL_SSL listener of `start.sh --sasl-ssl` (sourced after common.sh, not run).
#
# One user, $SASL_SSL_USER, with a fresh random password per start and three credentials:
# SCRAM-SHA-512 and SCRAM-SHA-256 (written into the KRaft metadata by `kafka-storage format
# --add-scram`) and PLAIN (in the listener's JAAS configuration). OAUTHBEARER is enabled too,
# with Kafka's unsecured validator (unsigned JWTs whose "sub" is the principal), so that
# token providers can be tested without an identity provider. The TLS certificates are
# made at start with the JDK's keytool: a throwaway CA and one broker certificate for
# 127.0.0.1 and localhost, shared by all nodes. Clients read:
#   run/client-sasl-ssl.properties   Java clients and Kafka's tools (--command-config)
#   run/sasl-ssl.json                Node tests: brokers, CA PEM path, username, password
#   run/cluster.env                  the same for shell scripts (SASL_SSL_* variables)

TLS_DIR="$RUN_DIR/tls"
SASL_SSL_USER=tributary
SASL_SSL_MECHANISMS=(SCRAM-SHA-512 SCRAM-SHA-256 PLAIN OAUTHBEARER)

random_secret() { head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# Sets SASL_SSL_PASSWORD (the user's) and TLS_STORE_PASSWORD (keystores and truststore).
new_sasl_ssl_secrets() {
  SASL_SSL_PASSWORD="$(random_secret)"
  TLS_STORE_PASSWORD="$(random_secret)"
}

# The CA (ca.p12, ca.pem), the broker keystore (broker.p12: key + certificate chain) and
# the clients' truststore (truststore.p12), all in $TLS_DIR. About 3 s of keytool runs.
make_tls_material() {
  local kt=(keytool -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC -storepass "$TLS_STORE_PASSWORD")
  local days=365
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  (
    cd "$TLS_DIR"
    "${kt[@]}" -genkeypair -alias ca -dname "CN=Tributary test CA" -keyalg RSA -keysize 2048 \
      -validity "$days" -ext bc:c -ext KU=keyCertSign,cRLSign -keystore ca.p12 -storetype PKCS12
    "${kt[@]}" -exportcert -rfc -alias ca -keystore ca.p12 -file ca.pem
    "${kt[@]}" -genkeypair -alias broker -dname "CN=localhost" -keyalg RSA -keysize 2048 \
      -validity "$days" -keystore broker.p12 -storetype PKCS12
    "${kt[@]}" -certreq -alias broker -keystore broker.p12 -file broker.csr
    # Clients connect to 127.0.0.1 (the advertised host) and check it against the SAN.
    "${kt[@]}" -gencert -alias ca -keystore ca.p12 -infile broker.csr -outfile broker.pem -rfc \
      -validity "$days" -ext SAN=IP:127.0.0.1,DNS:localhost -ext KU=digitalSignature,keyEncipherment -ext EKU=serverAuth
    # The CA first, so that the signed certificate replaces the self-signed one as a chain.
    "${kt[@]}" -importcert -noprompt -alias ca -file ca.pem -keystore broker.p12
    "${kt[@]}" -importcert -alias broker -file broker.pem -keystore broker.p12
    "${kt[@]}" -importcert -noprompt -alias ca -file ca.pem -keystore truststore.p12 -storetype PKCS12
    rm -f broker.csr
  ) >"$TLS_DIR/keytool.log" 2>&1 || {
    cat "$TLS_DIR/keytool.log" >&2
    die "keytool could not make the TLS certificates (see $TLS_DIR/keytool.log)."
  }
}

# server.properties lines for node $1's SASL_SSL listener (its socket is in `listeners`).
sasl_ssl_server_properties() {
  cat <<EOF

# SASL_SSL listener (start.sh --sasl-ssl): clients only; brokers and controllers talk PLAINTEXT.
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=$TLS_DIR/broker.p12
listener.name.sasl_ssl.ssl.keystore.password=$TLS_STORE_PASSWORD
listener.name.sasl_ssl.sasl.enabled.mechanisms=$(IFS=,; echo "${SASL_SSL_MECHANISMS[*]}")
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$SASL_SSL_USER="$SASL_SSL_PASSWORD";
# OAUTHBEARER with Kafka's unsecured validator: it accepts unsigned JWTs ("alg":"none") whose
# "sub" claim names the principal. For testing token providers only; never in production.
listener.name.sasl_ssl.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="$SASL_SSL_USER";
EOF
}

# Adds to format_args what makes kafka-storage format store the user's SCRAM credentials.
add_scram_format_args() {
  format_args+=(--add-scram "SCRAM-SHA-512=[name=$SASL_SSL_USER,password=$SASL_SSL_PASSWORD]"
    --add-scram "SCRAM-SHA-256=[name=$SASL_SSL_USER,password=$SASL_SSL_PASSWORD]")
}

json_string() { local s="${1//\\/\\\\}"; printf '"%s"' "${s//\"/\\\"}"; }

# client-sasl-ssl.properties, sasl-ssl.json and the SASL_SSL_* lines of cluster.env.
write_sasl_ssl_client_files() {
  local bootstrap="" ports="" brokers="" id
  for id in $(seq 1 "$NODES"); do
    bootstrap+="$HOST:$(sasl_ssl_port "$id"),"
    ports+="$(sasl_ssl_port "$id"), "
    brokers+="$(json_string "$HOST:$(sasl_ssl_port "$id")"), "
  done
  SASL_SSL_BOOTSTRAP="${bootstrap%,}"
  (
    umask 077
    cat >"$SASL_SSL_PROPERTIES" <<EOF
# Generated by tools/kafka/start.sh --sasl-ssl: a client of the SASL_SSL listener, for Kafka's
# tools and Java clients (--command-config) and for the tributary CLI (--command-config).
# SCRAM-SHA-256 and PLAIN work too. The truststore is the CA's PEM file, which both read.
bootstrap.servers=$SASL_SSL_BOOTSTRAP
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$SASL_SSL_USER" password="$SASL_SSL_PASSWORD";
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.pem
EOF
    cat >"$SASL_SSL_JSON" <<EOF
{
  "brokers": [${brokers%, }],
  "ports": [${ports%, }],
  "port": $(sasl_ssl_port 1),
  "caPem": $(json_string "$TLS_DIR/ca.pem"),
  "username": $(json_string "$SASL_SSL_USER"),
  "password": $(json_string "$SASL_SSL_PASSWORD"),
  "mechanisms": [$(printf '"%s", ' "${SASL_SSL_MECHANISMS[@]}" | sed 's/, $//')],
  "truststore": $(json_string "$TLS_DIR/truststore.p12"),
  "truststorePassword": $(json_string "$TLS_STORE_PASSWORD"),
  "clientProperties": $(json_string "$SASL_SSL_PROPERTIES")
}
EOF
  )
  cat >>"$CLUSTER_ENV" <<EOF
SASL_SSL=1
SASL_SSL_BOOTSTRAP=$SASL_SSL_BOOTSTRAP
SASL_SSL_USER=$SASL_SSL_USER
SASL_SSL_PASSWORD=$SASL_SSL_PASSWORD
SASL_SSL_CA_PEM=$(printf %q "$TLS_DIR/ca.pem")
EOF
}

# Proof that the files above work: Kafka's own client, configured only by
# client-sasl-ssl.properties, authenticates over TLS and sees every broker.
check_sasl_ssl_login() {
  local deadline=$((SECONDS + 30)) count
  while ((SECONDS < deadline)); do
    count="$(metadata_broker_count "$SASL_SSL_BOOTSTRAP" --command-config "$SASL_SSL_PROPERTIES")"
    [[ "$count" -ge "$NODES" ]] && return 0
    sleep 1
  done
  warn "a SCRAM-SHA-512 client over TLS could not reach all $NODES broker(s) at $SASL_SSL_BOOTSTRAP:"
  kafka_tool "$API_VERSIONS_CLASS" --bootstrap-server "$SASL_SSL_BOOTSTRAP" \
    --command-config "$SASL_SSL_PROPERTIES" 2>&1 | tail -n 20 >&2 || true
  return 1
}
