package org.cti4j.api;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP address as the specification accepts it: {@code [[sip:]user@]host[:port]}.
 *
 * <p>All of these are valid: {@code sip:13898877785@192.168.5.10:5060}, {@code 13898877785@192.168.5.10},
 * {@code 192.168.5.10:5060}, {@code 192.168.5.10}. The host is a DNS name, an IPv4 address or an IPv6 reference in
 * brackets ({@code [::1]}); the user part takes the characters RFC 3261 allows in it, including {@code %}-escapes;
 * the port is 1 to 65535. Anything else — another scheme, an empty user, parameters, spaces — is rejected by
 * {@link #parse} with an {@link InvalidArgumentException} that names the bad value.
 *
 * <p>Instances are immutable. {@link #toString()} gives the canonical form, {@code sip:user@host:port}, leaving out
 * the parts that are absent; the scheme is lower case, the host keeps its case (comparison of hosts is
 * case-insensitive).
 *
 * @param user the user part, or {@code null} when the URI has none
 * @param host the host: a DNS name, an IPv4 address, or an IPv6 address in brackets
 * @param port the port, or {@code 0} when the URI names none (the peer's default applies, 5060 for SIP over UDP)
 */
public record SipUri(String user, String host, int port) {

    private static final String USER_CHARS = "[A-Za-z0-9\\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2}";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
    private static final Pattern URI = Pattern.compile(
            "(?i:sip:)?(?:((?:" + USER_CHARS + ")+)@)?"
                    + "(\\[[0-9A-Fa-f:.]+]|" + LABEL + "(?:\\." + LABEL + ")*\\.?)"
                    + "(?::([0-9]{1,5}))?");
    private static final Pattern IPV4_LIKE = Pattern.compile("[0-9.]+");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");

    /**
     * Checks the parts.
     *
     * @throws InvalidArgumentException if a part is malformed
     */
    public SipUri {
        Objects.requireNonNull(host, "host");
        if (user != null && !Pattern.matches("(?:" + USER_CHARS + ")+", user)) {
            throw new InvalidArgumentException("user", "SIP URI user part '" + user + "' is empty or holds a character"
                    + " a SIP user part cannot have");
        }
        if (!isValidHost(host)) {
            throw new InvalidArgumentException("host", "'" + host + "' is not a valid host name or IP address");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidArgumentException("port", "port " + port + " is out of range 1-65535 (0 for none)");
        }
    }

    /**
     * Parses a SIP URI in the lenient form {@code [[sip:]user@]host[:port]}.
     *
     * @param text the URI text
     * @return the URI
     * @throws InvalidArgumentException if {@code text} is null, empty or not of that form; the message quotes it
     */
    public static SipUri parse(String text) {
        return parse("uri", text);
    }

    /**
     * Parses a SIP URI given as the named parameter, so that an error names both the parameter and the value.
     *
     * @param parameter the parameter's name as the specification spells it, such as {@code to_uri}
     * @param text the URI text
     * @return the URI
     * @throws InvalidArgumentException if {@code text} is null, empty or not of the form
     *     {@code [[sip:]user@]host[:port]}
     */
    public static SipUri parse(String parameter, String text) {
        Objects.requireNonNull(parameter, "parameter");
        if (text == null || text.isBlank()) {
            throw new InvalidArgumentException(parameter, parameter + " is missing: a SIP URI such as"
                    + " sip:1001@192.0.2.10:5060 is required");
        }
        Matcher m = URI.matcher(text);
        if (!m.matches()) {
            throw new InvalidArgumentException(parameter, parameter + " '" + text + "' is not a SIP URI of the form"
                    + " [[sip:]user@]host[:port]");
        }
        String host = m.group(2);
        if (!isValidHost(host)) {
            throw new InvalidArgumentException(parameter, parameter + " '" + text + "': '" + host
                    + "' is not a valid host name or IP address");
        }
        int port = 0;
        if (m.group(3) != null) {
            port = Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) {
                throw new InvalidArgumentException(parameter, parameter + " '" + text + "': port " + port
                        + " is out of range 1-65535");
            }
        }
        return new SipUri(m.group(1), host, port);
    }

    /**
     * Returns a URI for {@code user} at {@code host} with no port.
     *
     * @param user the user part, or {@code null} for none
     * @param host the host
     * @return the URI
     * @throws InvalidArgumentException if a part is malformed
     */
    public static SipUri of(String user, String host) {
        return new SipUri(user, host, 0);
    }

    /** Returns a copy of this URI with another port ({@code 0} for none). */
    public SipUri withPort(int newPort) {
        return new SipUri(user, host, newPort);
    }

    /** Returns a copy of this URI with another user part ({@code null} for none). */
    public SipUri withUser(String newUser) {
        return new SipUri(newUser, host, port);
    }

    /** Returns whether the URI has a user part. */
    public boolean hasUser() {
        return user != null;
    }

    /** Returns whether the URI names a port. */
    public boolean hasPort() {
        return port != 0;
    }

    private static boolean isValidHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.startsWith("[")) {
            return host.endsWith("]") && isIpv6(host.substring(1, host.length() - 1));
        }
        if (IPV4_LIKE.matcher(host).matches()) {
            // All digits and dots: it must be a dotted-quad IPv4 address, not a "host name" like 300.1.1.1.
            return IPV4.matcher(host).matches();
        }
        return host.length() <= 253 && Pattern.matches(LABEL + "(?:\\." + LABEL + ")*\\.?", host);
    }

    private static boolean isIpv6(String address) {
        if (address.isEmpty() || !address.contains(":")) {
            return false;
        }
        String[] halves = address.split("::", -1);
        if (halves.length > 2) {
            return false;
        }
        int groups = 0;
        for (int i = 0; i < halves.length; i++) {
            if (halves[i].isEmpty()) {
                continue;
            }
            String[] parts = halves[i].split(":", -1);
            for (int j = 0; j < parts.length; j++) {
                String part = parts[j];
                boolean last = i == halves.length - 1 && j == parts.length - 1;
                if (last && part.contains(".")) {
                    if (!IPV4.matcher(part).matches()) {
                        return false;
                    }
                    groups += 2;
                } else if (part.matches("[0-9A-Fa-f]{1,4}")) {
                    groups++;
                } else {
                    return false;
                }
            }
        }
        return halves.length == 2 ? groups < 8 : groups == 8;
    }

    /** Returns {@code sip:user@host:port}, leaving out the user and the port where absent. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("sip:");
        if (user != null) {
            sb.append(user).append('@');
        }
        sb.append(host);
        if (port != 0) {
            sb.append(':').append(port);
        }
        return sb.toString();
    }

    /** Compares user (case-sensitively), host (case-insensitively) and port. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SipUri other
                && Objects.equals(user, other.user)
                && host.equalsIgnoreCase(other.host)
                && port == other.port;
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, host.toLowerCase(Locale.ROOT), port);
    }
}
