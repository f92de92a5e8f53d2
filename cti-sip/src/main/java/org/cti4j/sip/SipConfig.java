package org.cti4j.sip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.SipUri;

/**
 * How a {@link SipSignalingProvider} listens and dials. Build with {@link #builder()}, or from engine properties with
 * {@link #fromProperties(Map)}.
 *
 * @param host the address to listen on, and to put in Via and Contact unless {@code advertisedAddress} says
 *     otherwise. Default {@code 127.0.0.1}
 * @param port the port for both UDP and TCP; 0 picks a free one (see {@link SipSignalingProvider#port()}).
 *     Default 5060
 * @param transport the transport of outbound calls (UDP and TCP are always listened on; TLS when {@code tls} is set).
 *     Default UDP
 * @param outboundProxy a proxy or gateway every outbound request is routed through (loose routing), or {@code null}
 * @param credentials what to answer digest challenges (401/407) with
 * @param inboundRealm the realm inbound INVITEs are challenged in, or {@code null} to accept them unchallenged
 * @param inboundUsers user name → password of callers allowed in {@code inboundRealm}
 * @param userAgent the User-Agent header. Default {@code cti4j}
 * @param ackTimeout how long to wait for the ACK of a 200 OK before hanging up with 408. Default 32 s
 * @param threads the threads that run SIP legs and the stack's workers. Default 4
 * @param closeDrain how long {@link SipSignalingProvider#close()} waits, at most, for the BYEs, CANCELs and final
 *     responses of the calls just ended to leave and their transactions to complete, before it stops the stack.
 *     0 to 60 s; default 4 s
 * @param advertisedAddress the address put in the Via sent-by and the Contact of every message, when peers must reach
 *     this side at another address than {@code host}: behind NAT, or in a container with a published port. The
 *     port stays {@code port} (publish it unchanged). Listening stays on {@code host}. Default: {@code host}
 * @param accounts the accounts registered from start to close (see {@link SipAccount}); none by default
 * @param keepAlive how often a registered account's NAT binding is kept open: an OPTIONS to the registrar (or the
 *     account's outbound proxy) over UDP, a CRLF ping (RFC 5626 §4.4.1) over TCP; an OPTIONS left unanswered makes the
 *     account register again at once. 0 turns keep-alives off; at most 1 h. Default 30 s
 * @param tls SIP over TLS: listened on at {@link SipTls#port()} and dialled ({@code sips:}, {@code ;transport=tls}),
 *     or {@code null} for none (no TLS port; a TLS dial fails). Set when {@code transport} is TLS, with
 *     {@link SipTls}'s defaults if not given
 */
public record SipConfig(String host, int port, SipTransport transport, SipUri outboundProxy,
        List<SipCredential> credentials, String inboundRealm, Map<String, String> inboundUsers, String userAgent,
        Duration ackTimeout, int threads, Duration closeDrain, String advertisedAddress, List<SipAccount> accounts,
        Duration keepAlive, SipTls tls) {

    /** The longest {@code closeDrain}. */
    public static final Duration MAX_CLOSE_DRAIN = Duration.ofSeconds(60);
    /** The longest {@code keepAlive}. */
    public static final Duration MAX_KEEP_ALIVE = Duration.ofHours(1);

    /** Checks the parts. */
    public SipConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new InvalidArgumentException("sip.port", "sip.port " + port + " is out of range 0-65535");
        }
        Objects.requireNonNull(transport, "transport");
        credentials = List.copyOf(credentials);
        inboundUsers = Map.copyOf(inboundUsers);
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        if (threads < 1) {
            throw new InvalidArgumentException("sip.threads", "sip.threads " + threads + " must be at least 1");
        }
        Objects.requireNonNull(closeDrain, "closeDrain");
        if (closeDrain.isNegative() || closeDrain.compareTo(MAX_CLOSE_DRAIN) > 0) {
            throw new InvalidArgumentException("sip.close-drain-seconds", "sip.close-drain-seconds "
                    + closeDrain.toSeconds() + " is out of range 0-" + MAX_CLOSE_DRAIN.toSeconds());
        }
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        if (!isHostOnly(advertisedAddress)) {
            throw new InvalidArgumentException("sip.advertised-address", "sip.advertised-address '"
                    + advertisedAddress + "' is not a host name or an IPv4 address (without a port)");
        }
        accounts = List.copyOf(accounts);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (SipAccount account : accounts) {
            if (!names.add(account.name())) {
                throw new InvalidArgumentException("sip.accounts", "account '" + account.name()
                        + "' is given twice");
            }
        }
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (keepAlive.isNegative() || keepAlive.compareTo(MAX_KEEP_ALIVE) > 0) {
            throw new InvalidArgumentException("sip.keepalive-seconds", "sip.keepalive-seconds "
                    + keepAlive.toSeconds() + " is out of range 0-" + MAX_KEEP_ALIVE.toSeconds());
        }
        if (transport == SipTransport.TLS && tls == null) {
            throw new InvalidArgumentException("sip.transport", "sip.transport tls needs the TLS configuration");
        }
    }

    /** Returns the account whose AoR {@code uri} names (same user and host), if any. */
    public java.util.Optional<SipAccount> accountOf(SipUri uri) {
        return accounts.stream().filter(account -> account.isAor(uri)).findFirst();
    }

    /**
     * Whether {@code value} is a host name or an IPv4 address alone: no port, no parameters, no spaces. (JAIN-SIP's
     * {@code ListeningPoint.setSentBy} splits at the first colon, so an IPv6 address cannot be advertised.)
     */
    private static boolean isHostOnly(String value) {
        return !value.isEmpty() && value.chars().noneMatch(c -> c <= ' ' || ":;,<>\"/@[]".indexOf(c) >= 0);
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the engine properties {@code sip.host}, {@code sip.port}, {@code sip.transport} ({@code udp},
     * {@code tcp} or {@code tls}), {@code sip.outbound-proxy}, {@code sip.username} with {@code sip.password} (and
     * optional {@code sip.realm}), {@code sip.user-agent}, {@code sip.threads}, {@code sip.close-drain-seconds},
     * {@code sip.advertised-address}, {@code sip.keepalive-seconds}; the accounts named in {@code sip.accounts}
     * (a comma-separated list of names) with, for each name, {@code sip.account.<name>.registrar}, {@code .aor},
     * {@code .username}, {@code .password}, {@code .realm}, {@code .expires-seconds} and {@code .outbound-proxy} (the
     * first two required); and those of {@link SipTls} ({@code sip.tls-port}, {@code sip.tls.key-store},
     * {@code sip.tls.key-store-password}, {@code sip.tls.key-store-type}, {@code sip.tls.trust-store},
     * {@code sip.tls.trust-store-password}: TLS is on when one of them is set or {@code sip.transport} is
     * {@code tls}); absent ones keep their defaults.
     *
     * @throws InvalidArgumentException naming a property whose value is malformed
     */
    public static SipConfig fromProperties(Map<String, String> properties) {
        Builder b = builder();
        String host = properties.get("sip.host");
        if (host != null) {
            b.host(host);
        }
        String port = properties.get("sip.port");
        if (port != null) {
            b.port(number("sip.port", port));
        }
        String transport = properties.get("sip.transport");
        if (transport != null) {
            try {
                b.transport(SipTransport.valueOf(transport.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException("sip.transport", "sip.transport '" + transport
                        + "' is not udp, tcp or tls");
            }
        }
        String proxy = properties.get("sip.outbound-proxy");
        if (proxy != null && !proxy.isBlank()) {
            b.outboundProxy(SipUri.parse("sip.outbound-proxy", proxy));
        }
        String username = properties.get("sip.username");
        if (username != null) {
            b.credential(new SipCredential(properties.getOrDefault("sip.realm", ""), username,
                    properties.getOrDefault("sip.password", "")));
        }
        String userAgent = properties.get("sip.user-agent");
        if (userAgent != null) {
            b.userAgent(userAgent);
        }
        String threads = properties.get("sip.threads");
        if (threads != null) {
            b.threads(number("sip.threads", threads));
        }
        String closeDrain = properties.get("sip.close-drain-seconds");
        if (closeDrain != null) {
            b.closeDrain(Duration.ofSeconds(number("sip.close-drain-seconds", closeDrain)));
        }
        // NAT and addressing.
        String advertisedAddress = properties.get("sip.advertised-address");
        if (advertisedAddress != null) {
            b.advertisedAddress(advertisedAddress.trim());
        }
        String keepAlive = properties.get("sip.keepalive-seconds");
        if (keepAlive != null) {
            b.keepAlive(Duration.ofSeconds(number("sip.keepalive-seconds", keepAlive)));
        }
        // Registration.
        for (String name : accountNames(properties)) {
            b.account(account(name, properties));
        }
        SipTls tls = tlsFromProperties(properties);
        if (tls != null) {
            b.tls(tls);
        }
        return b.build();
    }

    /** Returns the names {@code sip.accounts} lists, in order; none when it is absent or blank. */
    static List<String> accountNames(Map<String, String> properties) {
        String list = properties.get("sip.accounts");
        List<String> names = new ArrayList<>();
        if (list != null) {
            for (String name : list.split(",", -1)) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }

    /** The property keys of the account {@code name}. */
    static List<String> accountKeys(String name) {
        String prefix = "sip.account." + name + ".";
        return List.of(prefix + "registrar", prefix + "aor", prefix + "username", prefix + "password",
                prefix + "realm", prefix + "expires-seconds", prefix + "outbound-proxy");
    }

    private static SipAccount account(String name, Map<String, String> properties) {
        SipAccount.checkName(name);
        String prefix = "sip.account." + name + ".";
        String registrar = properties.get(prefix + "registrar");
        String aor = properties.get(prefix + "aor");
        if (registrar == null || aor == null) {
            String missing = prefix + (registrar == null ? "registrar" : "aor");
            throw new InvalidArgumentException(missing, "sip.accounts names '" + name + "' but " + missing
                    + " is not set");
        }
        SipAccount.Builder account = SipAccount.builder(name, SipUri.parse(prefix + "registrar", registrar.trim()),
                SipUri.parse(prefix + "aor", aor.trim()));
        String username = properties.get(prefix + "username");
        if (username != null) {
            account.username(username.trim());
        }
        String password = properties.get(prefix + "password");
        if (password != null) {
            account.password(password);
        }
        String realm = properties.get(prefix + "realm");
        if (realm != null) {
            account.realm(realm.trim());
        }
        String expires = properties.get(prefix + "expires-seconds");
        if (expires != null) {
            account.expires(Duration.ofSeconds(number(prefix + "expires-seconds", expires)));
        }
        String proxy = properties.get(prefix + "outbound-proxy");
        if (proxy != null && !proxy.isBlank()) {
            account.outboundProxy(SipUri.parse(prefix + "outbound-proxy", proxy.trim()));
        }
        return account.build();
    }

    /** Reads the {@code sip.tls*} properties; {@code null} when none is set. */
    private static SipTls tlsFromProperties(Map<String, String> properties) {
        if (properties.keySet().stream().noneMatch(key -> key.startsWith("sip.tls"))) {
            return null;
        }
        SipTls.Builder tls = SipTls.builder();
        String port = properties.get("sip.tls-port");
        if (port != null) {
            tls.port(number("sip.tls-port", port));
        }
        String keyStore = properties.get("sip.tls.key-store");
        if (keyStore != null && !keyStore.isBlank()) {
            tls.keyStore(path("sip.tls.key-store", keyStore), properties.getOrDefault("sip.tls.key-store-password",
                    ""));
        }
        String keyStoreType = properties.get("sip.tls.key-store-type");
        if (keyStoreType != null) {
            tls.keyStoreType(keyStoreType.trim());
        }
        String trustStore = properties.get("sip.tls.trust-store");
        if (trustStore != null && !trustStore.isBlank()) {
            tls.trustStore(path("sip.tls.trust-store", trustStore),
                    properties.getOrDefault("sip.tls.trust-store-password", ""));
        }
        return tls.build();
    }

    private static java.nio.file.Path path(String key, String value) {
        try {
            return java.nio.file.Path.of(value.trim());
        } catch (java.nio.file.InvalidPathException e) {
            throw new InvalidArgumentException(key, key + " '" + value + "' is not a file path");
        }
    }

    private static int number(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(key, key + " '" + value + "' is not a number");
        }
    }

    /** Builds a {@link SipConfig}. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 5060;
        private SipTransport transport = SipTransport.UDP;
        private SipUri outboundProxy;
        private final List<SipCredential> credentials = new ArrayList<>();
        private String inboundRealm;
        private final Map<String, String> inboundUsers = new LinkedHashMap<>();
        private String userAgent = "cti4j";
        private Duration ackTimeout = Duration.ofSeconds(32);
        private int threads = 4;
        private Duration closeDrain = Duration.ofSeconds(4);
        private String advertisedAddress;
        private final List<SipAccount> accounts = new ArrayList<>();
        private Duration keepAlive = Duration.ofSeconds(30);
        private SipTls tls;

        private Builder() {
        }

        /** Sets the address to listen on (default 127.0.0.1). */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** Sets the port (default 5060; 0 picks a free one). */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Sets the transport of outbound calls (default UDP; TLS turns {@link #tls} on with its defaults if unset). */
        public Builder transport(SipTransport value) {
            this.transport = Objects.requireNonNull(value, "transport");
            return this;
        }

        /** Routes every outbound request through this proxy or gateway. */
        public Builder outboundProxy(SipUri value) {
            this.outboundProxy = Objects.requireNonNull(value, "outboundProxy");
            return this;
        }

        /** Adds credentials to answer digest challenges with. */
        public Builder credential(SipCredential value) {
            credentials.add(Objects.requireNonNull(value, "credential"));
            return this;
        }

        /** Challenges inbound INVITEs in {@code realm}; add the callers allowed with {@link #inboundUser}. */
        public Builder inboundRealm(String realm) {
            this.inboundRealm = Objects.requireNonNull(realm, "realm");
            return this;
        }

        /** Allows a caller in the inbound realm. */
        public Builder inboundUser(String username, String password) {
            inboundUsers.put(Objects.requireNonNull(username, "username"), Objects.requireNonNull(password, "p"));
            return this;
        }

        /** Sets the User-Agent header (default {@code cti4j}). */
        public Builder userAgent(String value) {
            this.userAgent = Objects.requireNonNull(value, "userAgent");
            return this;
        }

        /** Sets how long to wait for the ACK of a 200 OK (default 32 s). */
        public Builder ackTimeout(Duration value) {
            this.ackTimeout = Objects.requireNonNull(value, "ackTimeout");
            return this;
        }

        /** Sets the number of SIP threads (default 4). */
        public Builder threads(int value) {
            this.threads = value;
            return this;
        }

        /**
         * Sets how long closing waits, at most, for the last BYEs, CANCELs and final responses to leave and their
         * transactions to complete (0 to 60 s, default 4 s).
         */
        public Builder closeDrain(Duration value) {
            this.closeDrain = Objects.requireNonNull(value, "closeDrain");
            return this;
        }

        // ---- NAT and addressing ----

        /**
         * Sets the address put in Via and Contact instead of the listen address (default: the listen address), for
         * a host behind NAT or in a container: its public address, to which the SIP port is forwarded unchanged.
         */
        public Builder advertisedAddress(String value) {
            this.advertisedAddress = Objects.requireNonNull(value, "advertisedAddress");
            return this;
        }

        /**
         * Sets how often a registered account's NAT binding is kept open: OPTIONS over UDP, a CRLF ping over TCP
         * (default 30 s; 0 turns keep-alives off).
         */
        public Builder keepAlive(Duration value) {
            this.keepAlive = Objects.requireNonNull(value, "keepAlive");
            return this;
        }

        // ---- registration ----

        /** Adds an account to register from start to close. */
        public Builder account(SipAccount value) {
            accounts.add(Objects.requireNonNull(value, "account"));
            return this;
        }

        // ---- SIP over TLS ----

        /** Turns SIP over TLS on, configured by {@code value} (default: off, unless the transport is TLS). */
        public Builder tls(SipTls value) {
            this.tls = Objects.requireNonNull(value, "tls");
            return this;
        }

        /** Returns the configuration. */
        public SipConfig build() {
            SipTls tlsOrDefault = tls == null && transport == SipTransport.TLS ? SipTls.builder().build() : tls;
            return new SipConfig(host, port, transport, outboundProxy, credentials, inboundRealm, inboundUsers,
                    userAgent, ackTimeout, threads, closeDrain, advertisedAddress != null ? advertisedAddress : host,
                    accounts, keepAlive, tlsOrDefault);
        }
    }
}
