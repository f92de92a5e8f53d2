package org.cti4j.sip;

import java.time.Duration;
import java.util.Objects;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.SipUri;

/**
 * An account this side registers with a registrar (RFC 3261 §10): a PBX its agents' phones live on, or a carrier's
 * SIP trunk. The provider keeps the registration alive from start to close (see {@link SipRegistration}); inbound
 * calls for the AoR reach the engine through it, and an outbound call whose {@code from} is the AoR (same user and
 * host) uses the account: its credentials answer the challenges and its outbound proxy routes the INVITE.
 *
 * @param name the account's name, used in properties ({@code sip.account.<name>.*}), logs and
 *     {@link SipRegistration#account()}: letters, digits, {@code -} and {@code _}
 * @param registrar the registrar: the Request-URI of the REGISTER ({@code sip:pbx.example.com}; a
 *     {@code ;transport=tcp} or {@code ;transport=tls} parameter chooses the transport, a {@code sips:} URI TLS,
 *     else the configured one is used)
 * @param aor the address of record registered ({@code sip:1001@pbx.example.com}): the From and To of the REGISTER
 * @param username the digest user name; default the AoR's user
 * @param password the digest password
 * @param realm the realm the credentials are for; empty to answer any realm the registrar names
 * @param expires the registration lifetime asked for (the registrar may grant less); 10 s to 1 day, default 1 h.
 *     It is refreshed before it runs out
 * @param outboundProxy a proxy the REGISTER and the account's calls are routed through (loose routing), or
 *     {@code null} to send them to the registrar's and the callee's host
 */
public record SipAccount(String name, SipUri registrar, SipUri aor, String username, String password, String realm,
        Duration expires, SipUri outboundProxy) {

    /** The shortest lifetime that may be asked for. */
    public static final Duration MIN_EXPIRES = Duration.ofSeconds(10);
    /** The longest lifetime that may be asked for. */
    public static final Duration MAX_EXPIRES = Duration.ofDays(1);

    /** Checks the parts. */
    public SipAccount {
        checkName(name);
        String key = "sip.account." + name;
        Objects.requireNonNull(registrar, key + ".registrar");
        Objects.requireNonNull(aor, key + ".aor");
        if (!aor.hasUser()) {
            throw new InvalidArgumentException(key + ".aor", key + ".aor '" + aor + "' has no user part");
        }
        Objects.requireNonNull(username, key + ".username");
        Objects.requireNonNull(password, key + ".password");
        Objects.requireNonNull(realm, key + ".realm");
        Objects.requireNonNull(expires, key + ".expires-seconds");
        if (expires.compareTo(MIN_EXPIRES) < 0 || expires.compareTo(MAX_EXPIRES) > 0) {
            throw new InvalidArgumentException(key + ".expires-seconds", key + ".expires-seconds "
                    + expires.toSeconds() + " is out of range " + MIN_EXPIRES.toSeconds() + "-"
                    + MAX_EXPIRES.toSeconds());
        }
        String transport = registrar.parameter("transport");
        if (transport != null && SipTransport.ofToken(transport).isEmpty()) {
            throw new InvalidArgumentException(key + ".registrar", key + ".registrar names transport '"
                    + cut(transport) + "', which is not supported");
        }
    }

    /** Throws unless {@code name} is 1 to 64 ASCII letters, digits, {@code -} or {@code _}. */
    static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 64 || !name.chars().allMatch(c -> c == '-' || c == '_'
                || (c < 128 && Character.isLetterOrDigit(c)))) {
            throw new InvalidArgumentException("sip.accounts", "account name '" + cut(name)
                    + "' must be 1 to 64 letters, digits, '-' or '_'");
        }
    }

    private static String cut(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /** Returns a builder for the account {@code name}, registering {@code aor} with {@code registrar}. */
    public static Builder builder(String name, SipUri registrar, SipUri aor) {
        return new Builder(name, registrar, aor);
    }

    /** Returns whether {@code uri} names this account's AoR: the same user (case-sensitive) and host (not). */
    public boolean isAor(SipUri uri) {
        return uri != null && aor.user().equals(uri.user()) && aor.host().equalsIgnoreCase(uri.host());
    }

    /** Leaves the password out. */
    @Override
    public String toString() {
        return "SipAccount[" + name + ": " + aor + " at " + registrar + ", username=" + username
                + (realm.isEmpty() ? "" : ", realm=" + realm) + ", expires=" + expires.toSeconds() + "s"
                + (outboundProxy == null ? "" : ", via " + outboundProxy) + "]";
    }

    /** Builds a {@link SipAccount}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final SipUri registrar;
        private final SipUri aor;
        private String username;
        private String password = "";
        private String realm = "";
        private Duration expires = Duration.ofHours(1);
        private SipUri outboundProxy;

        private Builder(String name, SipUri registrar, SipUri aor) {
            this.name = name;
            this.registrar = registrar;
            this.aor = aor;
        }

        /** Sets the digest user name (default: the AoR's user). */
        public Builder username(String value) {
            this.username = Objects.requireNonNull(value, "username");
            return this;
        }

        /** Sets the digest password (default empty). */
        public Builder password(String value) {
            this.password = Objects.requireNonNull(value, "password");
            return this;
        }

        /** Sets the realm the credentials are for (default: any). */
        public Builder realm(String value) {
            this.realm = Objects.requireNonNull(value, "realm");
            return this;
        }

        /** Sets the lifetime asked for (10 s to 1 day, default 1 h). */
        public Builder expires(Duration value) {
            this.expires = Objects.requireNonNull(value, "expires");
            return this;
        }

        /** Routes the REGISTER and the account's calls through this proxy. */
        public Builder outboundProxy(SipUri value) {
            this.outboundProxy = Objects.requireNonNull(value, "outboundProxy");
            return this;
        }

        /** Returns the account. */
        public SipAccount build() {
            return new SipAccount(name, registrar, aor, username != null ? username
                    : (aor == null ? "" : Objects.requireNonNullElse(aor.user(), "")), password, realm, expires,
                    outboundProxy);
        }
    }
}
