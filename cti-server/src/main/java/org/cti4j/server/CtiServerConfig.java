package org.cti4j.server;

import static org.cti4j.server.ConfigValues.bad;
import static org.cti4j.server.ConfigValues.host;
import static org.cti4j.server.ConfigValues.isLoopback;
import static org.cti4j.server.ConfigValues.notEmpty;
import static org.cti4j.server.ConfigValues.number;
import static org.cti4j.server.ConfigValues.path;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.SipUri;
import org.cti4j.rpc.RpcServer;

/**
 * The settings of a {@link CtiServer}, read from command-line flags, an optional properties file and the
 * environment.
 *
 * <p>Precedence, highest first: a flag ({@code --sip-port 5070} or {@code --sip-port=5070}); for the token, the
 * key store password and the SIP password, the environment variables {@value #TOKEN_ENV},
 * {@value #KEY_STORE_PASSWORD_ENV} and {@value #SIP_PASSWORD_ENV}; the file
 * named by {@code --config}, a Java properties file whose keys are the flag names without dashes
 * ({@code sip-port=5070}); the defaults. {@link #USAGE} lists every flag with its default.
 *
 * @param sipHost the address SIP and RTP listen on
 * @param sipPort the SIP port (UDP and TCP)
 * @param sipTransport the transport of outbound calls, {@code udp}, {@code tcp} or {@code tls}
 * @param rtpFirstPort the lowest RTP port
 * @param rtpLastPort the highest RTP port (RTCP included)
 * @param rpcHost the address the JSON-RPC server listens on
 * @param rpcPort the JSON-RPC port; 0 picks a free one
 * @param token the bearer token clients must present, or {@code null} for none (loopback only)
 * @param nodeId the engine's node id, {@code area.station.instance}
 * @param cdrFile the JSON Lines file CDRs are appended to, or {@code null} to log them
 * @param keyStore the key store that makes the server serve {@code wss://}, or {@code null}
 * @param keyStorePassword the key store's password, or {@code null} without a key store
 * @param sessionGrace how long a disconnected client's session waits for it to come back
 * @param sipOutboundProxy the SIP URI of the proxy or gateway every outbound request goes through, or {@code null}
 * @param sipUsername the user name digest challenges (401/407) are answered with, or {@code null} for none
 * @param sipPassword its password, or {@code null} without a user name
 * @param sipRealm the realm those credentials are for, or {@code null} for any realm
 * @param shareResources whether any RPC session may operate on any session's resources (default: only its own)
 * @param soundsDir the directory whose files clients may play, by name (default {@code sounds}, relative to the
 *     working directory)
 * @param recordingsDir the directory clients record to, by name (default {@code recordings}, relative to the working
 *     directory; made owner-only by the first recording when missing)
 * @param cdrSyncInterval how soon CDR lines (and their journal) are synced to disk: {@link Duration#ZERO} for each
 *     at once ({@code --cdr-fsync record}), else within that long ({@code --cdr-fsync 200}, the default); see
 *     {@link CdrFile}
 * @param engineProperties the engine properties set by the flags of {@link #ENGINE_PROPERTY_FLAGS}, and the account
 *     settings of the config file ({@code sip.accounts}, {@code sip.account.<name>.*}), as given; the engine checks
 *     their values. {@code --sip-advertised-address} alone sets {@code media.advertised-address} too
 * @param drainTime how long live calls may go on when the server is stopped ({@code --drain-seconds}, default 0:
 *     they are released at once): while it drains the engine refuses new calls (503) and constructs, and the RPC
 *     server still serves the live ones
 * @param metricsHost the address {@code /metrics} and {@code /health} are served on ({@code --metrics-host}, default
 *     {@code 127.0.0.1})
 * @param metricsPort their HTTP port ({@code --metrics-port}); -1, the default, serves neither; 0 picks a free port
 */
public record CtiServerConfig(String sipHost, int sipPort, String sipTransport, int rtpFirstPort, int rtpLastPort,
        String rpcHost, int rpcPort, String token, String nodeId, Path cdrFile, Path keyStore,
        String keyStorePassword, Duration sessionGrace, String sipOutboundProxy, String sipUsername,
        String sipPassword, String sipRealm, boolean shareResources,
        Path soundsDir, Path recordingsDir, Duration cdrSyncInterval, Map<String, String> engineProperties,
        Duration drainTime, String metricsHost, int metricsPort) {

    /** The environment variable the token is read from when no flag gives it, so that it does not show in ps. */
    public static final String TOKEN_ENV = "CTI4J_TOKEN";

    /** The environment variable the key store password is read from when no flag gives it. */
    public static final String KEY_STORE_PASSWORD_ENV = "CTI4J_KEYSTORE_PASSWORD";

    /** The environment variable the SIP password is read from when no flag gives it. */
    public static final String SIP_PASSWORD_ENV = "CTI4J_SIP_PASSWORD";

    /** The command-line help: every flag with its default. */
    public static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar cti-server.jar [--flag value]...",
            "  --sip-host ADDRESS        SIP and RTP listen address (default 127.0.0.1)",
            "  --sip-port PORT           SIP port, UDP and TCP (default 5060)",
            "  --sip-transport udp|tcp|tls  transport of outbound calls (default udp)",
            "  --rtp-ports FIRST-LAST    RTP port range (default 20000-29999)",
            "  --rpc-host ADDRESS        JSON-RPC listen address (default 127.0.0.1; any other needs a token)",
            "  --rpc-port PORT           JSON-RPC port, 0 picks a free one (default 8088)",
            "  --token TOKEN             bearer token clients must send (default none; better: env " + TOKEN_ENV + ")",
            "  --node-id A.S.I           node id, the prefix of every res_id (default 0.0.0)",
            "  --cdr-file FILE           append CDRs to FILE as JSON Lines (default: CDRs go to the log)",
            "  --cdr-fsync record|MS     sync CDRs to disk each at once, or every MS ms, 1-60000 (default 200)",
            "  --drain-seconds S         on SIGTERM, refuse new calls (503) and constructs and let live calls go on",
            "                            up to S s before stopping, 0-86400 (default 0: release them at once)",
            "  --max-live-calls N        refuse new calls (503) and constructs past N live calls, a duo callback",
            "                            counting two (default 0: no limit)",
            "  --max-calls-per-second N  refuse new calls and constructs past N in one second (default 0: no limit)",
            "  --metrics-port PORT       serve GET /metrics (Prometheus text) and /health (ready 200, draining or",
            "                            down 503) over HTTP on PORT, 0 picks a free one (default: not served)",
            "  --metrics-host ADDRESS    the address they are served on (default 127.0.0.1)",
            "  --keystore FILE           serve wss:// with this PKCS#12 or JKS key store (default: ws://)",
            "  --keystore-password P     its password (or env " + KEY_STORE_PASSWORD_ENV + ")",
            "  --session-grace SECONDS   how long a dropped client's session waits for it, 0-3600 (default 30)",
            "  --share-resources BOOL    true lets every client operate on every client's calls (default false)",
            "  --sip-outbound-proxy URI  send every outbound SIP request through this proxy, e.g. sip:10.0.0.5:5060",
            "                            (default none)",
            "  --sip-username USER       answer digest challenges (401/407) as USER (default: no credentials)",
            "  --sip-password P          its password (better: env " + SIP_PASSWORD_ENV + ")",
            "  --sip-realm REALM         the realm the credentials are for (default: any realm)",
            "  --sounds-dir DIR          clients play files by name from DIR only (default ./sounds)",
            "  --recordings-dir DIR      clients record by name into DIR only, made owner-only if missing; they play",
            "                            its files as recordings/NAME (default ./recordings)",
"  --media-advertised-address ADDRESS",
            "                            the address put in SDP when peers must reach RTP at another address than",
            "                            --sip-host (NAT, containers; default: --sip-advertised-address, else the",
            "                            listen address)",
            "  --sip-advertised-address ADDRESS",
            "                            the address put in Via and Contact (and, unless --media-advertised-address",
            "                            says otherwise, SDP) when peers must reach SIP at another address than",
            "                            --sip-host: the public address of a NAT or of a container's host; the SIP",
            "                            port and RTP ports must be forwarded unchanged (default: the listen address)",
            "  --srtp MODE               off, optional or mandatory: encrypt media with SRTP, keys in SDP (SDES);",
            "                            use with SIP over TLS, else the keys travel in clear (default off)",
            "  --sip-keepalive-seconds S keep registrations' NAT bindings open every S s: OPTIONS over UDP, CRLF",
            "                            over TCP; 0 turns them off (default 30)",
            ServerTlsSettings.USAGE,
            "  --config FILE             a properties file of the same settings (sip-port=5060 ...); flags win.",
            "                            Accounts to register are set there only, with the engine's keys:",
            "                            sip.accounts=agent and sip.account.agent.registrar|aor|username|password|",
            "                            realm|expires-seconds|outbound-proxy (keep the file readable by the server",
            "                            only: it holds passwords)",
            "  --help                    print this help");

    /**
     * The flags that set one engine property each, flag name to property key. Their values go to the engine as they
     * are given (trimmed); the engine checks them, and its error names the property.
     */
    static final Map<String, String> ENGINE_PROPERTY_FLAGS = engineFlags(
            "media-advertised-address", "media.advertised-address",
            // NAT and addressing.
            "sip-advertised-address", "sip.advertised-address", "sip-keepalive-seconds", "sip.keepalive-seconds",
            // SRTP.
            "srtp", "media.srtp",
            // SIP over TLS.
            "sip-tls-port", "sip.tls-port", "sip-tls-key-store", "sip.tls.key-store",
            "sip-tls-key-store-type", "sip.tls.key-store-type", "sip-tls-trust-store", "sip.tls.trust-store",
            // Overload protection.
            "max-live-calls", "engine.max-live-calls", "max-calls-per-second", "engine.max-calls-per-second");

    private static final List<String> SETTINGS = List.of("sip-host", "sip-port", "sip-transport", "rtp-ports",
            "rpc-host", "rpc-port", "token", "node-id", "cdr-file", "keystore", "keystore-password",
            "session-grace", "share-resources", "sip-outbound-proxy", "sip-username", "sip-password", "sip-realm",
            // File confinement.
            "sounds-dir", "recordings-dir",
            // Crash-safe CDRs.
            "cdr-fsync",
            // Draining for upgrades.
            "drain-seconds",
            // Metrics and health.
            "metrics-host", "metrics-port");

    /** Checks the parts that may not be absent. */
    public CtiServerConfig {
        Objects.requireNonNull(sipHost, "sipHost");
        Objects.requireNonNull(sipTransport, "sipTransport");
        Objects.requireNonNull(rpcHost, "rpcHost");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(sessionGrace, "sessionGrace");
        Objects.requireNonNull(soundsDir, "soundsDir");
        Objects.requireNonNull(recordingsDir, "recordingsDir");
        Objects.requireNonNull(cdrSyncInterval, "cdrSyncInterval");
        Objects.requireNonNull(drainTime, "drainTime");
        Objects.requireNonNull(metricsHost, "metricsHost");
        engineProperties = Map.copyOf(engineProperties);
    }

    private static Map<String, String> engineFlags(String... flagThenProperty) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < flagThenProperty.length; i += 2) {
            flags.put(flagThenProperty[i], flagThenProperty[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(flags);
    }

    private static boolean known(String setting) {
        return SETTINGS.contains(setting) || ENGINE_PROPERTY_FLAGS.containsKey(setting);
    }

    /**
     * Whether {@code setting} configures an account to register ({@code sip.accounts}, {@code sip.account.NAME.*}):
     * read from the config file only, since an account holds a password, and passed to the engine as it is.
     */
    private static boolean accountSetting(String setting) {
        return setting.equals("sip.accounts") || setting.startsWith("sip.account.");
    }

    /**
     * Reads the settings from the command line, the file it names with {@code --config}, and the environment.
     *
     * @param args the command line
     * @param env the environment ({@link System#getenv()})
     * @return the settings, checked
     * @throws BadInputException naming the flag (or setting) and its value when one is unknown, malformed or out of
     *     range, or when the config file cannot be read
     * @throws HelpRequested if the command line asks for {@code --help}
     */
    public static CtiServerConfig parse(String[] args, Map<String, String> env) throws BadInputException,
            HelpRequested {
        Objects.requireNonNull(env, "env");
        Map<String, String> flags = flags(args);
        Map<String, String> settings = new LinkedHashMap<>();
        if (flags.containsKey("config")) {
            settings.putAll(readFile(flags.remove("config")));
        }
        if (env.get(TOKEN_ENV) != null) {
            settings.put("token", env.get(TOKEN_ENV));
        }
        if (env.get(KEY_STORE_PASSWORD_ENV) != null) {
            settings.put("keystore-password", env.get(KEY_STORE_PASSWORD_ENV));
        }
        if (env.get(SIP_PASSWORD_ENV) != null) {
            settings.put("sip-password", env.get(SIP_PASSWORD_ENV));
        }
        ServerTlsSettings.readPasswords(env, settings);
        settings.putAll(flags);
        return check(settings);
    }

    /** Returns the flags of the command line by name (without dashes); a flag given twice keeps its last value. */
    private static Map<String, String> flags(String[] args) throws BadInputException, HelpRequested {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new BadInputException("unexpected argument '" + arg + "': flags look like --sip-port 5060");
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new BadInputException("--" + name + " needs a value");
            }
            if (accountSetting(name)) {
                throw new BadInputException("--" + name + ": accounts are set in the --config file only (they hold"
                        + " passwords, which a command line shows to every user of the machine)");
            }
            if (!known(name) && !name.equals("config")) {
                throw new BadInputException("unknown flag --" + name + " (with value '" + value + "')");
            }
            flags.put(name, value);
        }
        return flags;
    }

    private static Map<String, String> readFile(String name) throws BadInputException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(path("config", name), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException("--config '" + name + "' cannot be read: " + e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!known(key) && !accountSetting(key)) {
                throw new BadInputException("unknown setting '" + key + "' in --config '" + name + "' (with value '"
                        + properties.getProperty(key) + "')");
            }
            settings.put(key, properties.getProperty(key).trim());
        }
        return settings;
    }

    private static CtiServerConfig check(Map<String, String> s) throws BadInputException {
        String sipHost = host("sip-host", s.getOrDefault("sip-host", "127.0.0.1"));
        int sipPort = number("sip-port", s.getOrDefault("sip-port", "5060"), 1, 65535);
        String transport = s.getOrDefault("sip-transport", "udp").toLowerCase(Locale.ROOT);
        if (!transport.equals("udp") && !transport.equals("tcp") && !transport.equals("tls")) {
            throw bad("sip-transport", s.get("sip-transport"), "is not udp, tcp or tls");
        }
        String rtp = s.getOrDefault("rtp-ports", "20000-29999");
        String[] range = rtp.split("-", -1);
        int first = -1;
        int last = -1;
        if (range.length == 2) {
            try {
                first = Integer.parseInt(range[0].trim());
                last = Integer.parseInt(range[1].trim());
            } catch (NumberFormatException e) {
                first = -1;
            }
        }
        if (first < 1024 || last > 65535) {
            throw bad("rtp-ports", rtp, "is not a range of ports within 1024-65535, such as 20000-29999");
        }
        if (first + (first & 1) + 1 > last) {
            throw bad("rtp-ports", rtp, "holds no even RTP port with its RTCP port above it");
        }
        String rpcHost = host("rpc-host", s.getOrDefault("rpc-host", "127.0.0.1"));
        int rpcPort = number("rpc-port", s.getOrDefault("rpc-port", "8088"), 0, 65535);
        String token = s.get("token");
        if (token != null && token.isBlank()) {
            throw new BadInputException("--token is empty");
        }
        if (token == null && !isLoopback(rpcHost)) {
            throw bad("rpc-host", rpcHost, "is not a loopback address, so a token is required (--token, token= in"
                    + " the config file, or the environment variable " + TOKEN_ENV + ")");
        }
        String nodeId = s.getOrDefault("node-id", "0.0.0");
        try {
            CtiEngine.Builder.checkNodeId(nodeId);
        } catch (InvalidArgumentException e) {
            throw bad("node-id", nodeId, "is not area.station.instance, three numbers such as 1.0.3");
        }
        Path cdrFile = s.containsKey("cdr-file") ? path("cdr-file", s.get("cdr-file")) : null;
        Path keyStore = s.containsKey("keystore") ? path("keystore", s.get("keystore")) : null;
        String keyStorePassword = null;
        if (keyStore != null) {
            if (!Files.isRegularFile(keyStore) || !Files.isReadable(keyStore)) {
                throw bad("keystore", s.get("keystore"), "is not a readable file");
            }
            keyStorePassword = s.get("keystore-password");
            if (keyStorePassword == null) {
                throw new BadInputException("--keystore '" + s.get("keystore") + "' needs --keystore-password (or"
                        + " the environment variable " + KEY_STORE_PASSWORD_ENV + ")");
            }
        }
        int grace = number("session-grace", s.getOrDefault("session-grace", "30"), 0, 3600);
        int drain = number("drain-seconds", s.getOrDefault("drain-seconds", "0"), 0, 86_400);
        String metricsHost = host("metrics-host", s.getOrDefault("metrics-host", "127.0.0.1"));
        int metricsPort = s.containsKey("metrics-port") ? number("metrics-port", s.get("metrics-port"), 0, 65535) : -1;
        String share = s.getOrDefault("share-resources", "false").trim().toLowerCase(Locale.ROOT);
        if (!share.equals("true") && !share.equals("false")) {
            throw bad("share-resources", s.get("share-resources"), "is not true or false");
        }
        String proxy = s.get("sip-outbound-proxy");
        if (proxy != null) {
            proxy = proxy.trim();
            try {
                SipUri.parse("sip-outbound-proxy", notEmpty("sip-outbound-proxy", proxy));
            } catch (InvalidArgumentException e) {
                throw bad("sip-outbound-proxy", proxy, "is not a SIP URI such as sip:10.0.0.5:5060 ("
                        + e.getMessage() + ")");
            }
        }
        String username = s.get("sip-username");
        String password = s.get("sip-password");
        String realm = s.get("sip-realm");
        if (username != null) {
            notEmpty("sip-username", username);
            if (password == null) {
                throw new BadInputException("--sip-username '" + username + "' needs --sip-password (or the"
                        + " environment variable " + SIP_PASSWORD_ENV + ")");
            }
            notEmpty("sip-password", password);
        } else if (password != null || realm != null) {
            throw new BadInputException((password != null ? "--sip-password" : "--sip-realm '" + realm + "'")
                    + " is given without --sip-username");
        }
        if (realm != null) {
            notEmpty("sip-realm", realm);
        }
        // File confinement: where clients' file names are resolved.
        Path soundsDir = path("sounds-dir", s.getOrDefault("sounds-dir", RpcServer.Builder.DEFAULT_SOUNDS_DIRECTORY));
        Path recordingsDir = path("recordings-dir",
                s.getOrDefault("recordings-dir", RpcServer.Builder.DEFAULT_RECORDINGS_DIRECTORY));
        Duration cdrSync = ConfigValues.cdrSyncInterval(s, cdrFile);
        Map<String, String> engineProperties = new LinkedHashMap<>();
        for (Map.Entry<String, String> flag : ENGINE_PROPERTY_FLAGS.entrySet()) {
            String value = s.get(flag.getKey());
            if (value != null) {
                engineProperties.put(flag.getValue(), notEmpty(flag.getKey(), value.trim()));
            }
        }
        // Registration: the engine checks the account settings and names a wrong one.
        s.forEach((key, value) -> {
            if (accountSetting(key)) {
                engineProperties.put(key, value);
            }
        });
        ServerTlsSettings.passPasswords(s, engineProperties);
        // NAT and addressing: a host behind NAT is most often reached at one public address for SIP and RTP alike.
        String sipAdvertised = engineProperties.get("sip.advertised-address");
        if (sipAdvertised != null) {
            engineProperties.putIfAbsent("media.advertised-address", sipAdvertised);
        }
        return new CtiServerConfig(sipHost, sipPort, transport, first, last, rpcHost, rpcPort, token, nodeId,
                cdrFile, keyStore, keyStorePassword, Duration.ofSeconds(grace), proxy, username, password, realm,
                share.equals("true"), soundsDir, recordingsDir, cdrSync, engineProperties, Duration.ofSeconds(drain),
                metricsHost, metricsPort);
    }

    /** Returns the settings with the token and the passwords masked, so that they can be logged. */
    @Override
    public String toString() {
        return "CtiServerConfig[sipHost=" + sipHost + ", sipPort=" + sipPort + ", sipTransport=" + sipTransport
                + ", rtpPorts=" + rtpFirstPort + "-" + rtpLastPort + ", rpcHost=" + rpcHost + ", rpcPort=" + rpcPort
                + ", token=" + (token == null ? "none" : "***") + ", nodeId=" + nodeId + ", cdrFile=" + cdrFile
                + ", keyStore=" + keyStore + ", keyStorePassword=" + (keyStorePassword == null ? "none" : "***")
                + ", sessionGrace=" + sessionGrace + ", sipOutboundProxy=" + sipOutboundProxy + ", sipUsername="
                + sipUsername + ", sipPassword=" + (sipPassword == null ? "none" : "***") + ", sipRealm=" + sipRealm
                + ", shareResources=" + shareResources
                + ", soundsDir=" + soundsDir + ", recordingsDir=" + recordingsDir
                + ", cdrSyncInterval=" + cdrSyncInterval + ", engineProperties=" + masked(engineProperties)
                + ", drainTime=" + drainTime + ", metrics=" + (metricsPort < 0 ? "off" : metricsHost + ":" + metricsPort)
                + "]";
    }

    private static Map<String, String> masked(Map<String, String> properties) {
        Map<String, String> shown = new java.util.TreeMap<>();
        properties.forEach((key, value) -> shown.put(key, key.contains("password") ? "***" : value));
        return shown;
    }

    /** A flag, setting or config file that is unknown, malformed or unreadable; the message names it and its value. */
    public static final class BadInputException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what is wrong, naming the flag and its value
         */
        public BadInputException(String message) {
            super(message);
        }
    }

    /** The command line asks for {@code --help}. */
    public static final class HelpRequested extends Exception {
        private static final long serialVersionUID = 1L;

        /** Creates the exception. */
        public HelpRequested() {
            super("--help");
        }
    }
}
