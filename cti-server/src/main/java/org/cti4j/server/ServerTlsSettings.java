package org.cti4j.server;

import java.util.Map;

/**
 * What the server's settings for SIP over TLS need beyond their flags (which {@link CtiServerConfig} maps to engine
 * properties like its other engine flags): the help lines, and the store passwords, which come from the environment
 * only, since a flag would show them in {@code ps}.
 */
final class ServerTlsSettings {

    /** The environment variable the password of {@code --sip-tls-key-store} is read from (never a flag). */
    static final String KEY_STORE_PASSWORD_ENV = "CTI4J_SIP_TLS_KEY_STORE_PASSWORD";
    /** The environment variable the password of {@code --sip-tls-trust-store} is read from (never a flag). */
    static final String TRUST_STORE_PASSWORD_ENV = "CTI4J_SIP_TLS_TRUST_STORE_PASSWORD";
    /** Environment variable to the engine property it sets. */
    private static final Map<String, String> PASSWORDS = Map.of(
            KEY_STORE_PASSWORD_ENV, "sip.tls.key-store-password",
            TRUST_STORE_PASSWORD_ENV, "sip.tls.trust-store-password");

    /** The help lines of the SIP over TLS flags. */
    static final String USAGE = String.join(System.lineSeparator(),
            "  --sip-tls-port PORT       SIP over TLS port, when TLS is on (default 5061; 0 picks a free one)",
            "  --sip-tls-key-store FILE  turn SIP over TLS on, with this key store holding the server's certificate",
            "                            and key (password: env " + KEY_STORE_PASSWORD_ENV + ")",
            "  --sip-tls-key-store-type TYPE  its type (default PKCS12)",
            "  --sip-tls-trust-store FILE  trust only the CAs in FILE over TLS, e.g. a PBX's private CA (password:",
            "                            env " + TRUST_STORE_PASSWORD_ENV + "; default: the JDK's trusted CAs)");

    private ServerTlsSettings() {
    }

    /** Puts the passwords found in {@code env} into {@code settings}, under their property keys (no flag has one). */
    static void readPasswords(Map<String, String> env, Map<String, String> settings) {
        PASSWORDS.forEach((variable, property) -> {
            if (env.get(variable) != null) {
                settings.put(property, env.get(variable));
            }
        });
    }

    /** Passes the passwords {@link #readPasswords} put in {@code settings} to the engine's properties. */
    static void passPasswords(Map<String, String> settings, Map<String, String> engineProperties) {
        for (String property : PASSWORDS.values()) {
            if (settings.get(property) != null) {
                engineProperties.put(property, settings.get(property));
            }
        }
    }
}
