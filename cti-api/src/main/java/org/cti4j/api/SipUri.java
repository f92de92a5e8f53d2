package org.cti4j.api;

import static org.cti4j.api.SipUriSyntax.isParameterText;
import static org.cti4j.api.SipUriSyntax.isValidHost;
import static org.cti4j.api.SipUriSyntax.isValidUser;
import static org.cti4j.api.SipUriSyntax.quote;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A SIP address as the specification accepts it: {@code [[sip:]user@]host[:port][;name[=value]]...}, or a SIPS
 * address {@code sips:[user@]host[:port][;name[=value]]...} (RFC 3261 19.1: to be reached over TLS).
 *
 * <p>All of these are valid: {@code sip:13898877785@192.168.5.10:5060}, {@code 13898877785@192.168.5.10},
 * {@code 192.168.5.10:5060}, {@code 192.168.5.10}, {@code sip:+8613898877785@gw.example.com;user=phone},
 * {@code sip:1001@pbx.example.com;transport=tcp}. The host is a DNS name, an IPv4 address or an IPv6 reference in
 * brackets ({@code [::1]}); the user part takes the characters RFC 3261 allows in it, including {@code %}-escapes;
 * the port is 1 to 65535; URI parameters ({@code ;transport=tcp}, {@code ;user=phone}, {@code ;lr}, ...) take the
 * characters RFC 3261 allows in them and are kept, in order, with their names in lower case. Anything else —
 * another scheme, an empty user, a password, {@code ?headers}, spaces — is rejected by {@link #parse} with an
 * {@link InvalidArgumentException} that names the bad value.
 *
 * <p><b>Bounded.</b> A URI is at most {@value #MAX_LENGTH} characters (its user part at most
 * {@value #MAX_USER_LENGTH}, its host at most 253, at most {@value #MAX_PARAMETERS} parameters): no telephone
 * number or PBX address comes near, and anything longer is refused before it is looked at further. The parser
 * scans the text once, character by character, without regular expressions, so its cost is linear in the length
 * and no input can make it recurse or backtrack. Error messages quote at most the first
 * 300 characters of a bad value.
 *
 * <p>Instances are immutable. {@link #toString()} gives the canonical form, {@code sip:user@host:port;params}
 * ({@code sips:} for a SIPS URI), leaving out the parts that are absent; the scheme is lower case, the host keeps its
 * case (comparison of hosts is case-insensitive).
 *
 * <p>What the engine does with parameters when it dials: {@code transport} ({@code udp}, {@code tcp} or {@code tls})
 * chooses the transport of that call (other transports fail the dial with an error naming the transport), and a
 * SIPS URI is dialled over TLS; every parameter is kept in the Request-URI, and every one but {@code transport} in
 * the To header.
 *
 * @param user the user part, or {@code null} when the URI has none
 * @param host the host: a DNS name, an IPv4 address, or an IPv6 address in brackets
 * @param port the port, or {@code 0} when the URI names none (the peer's default applies, 5060 for SIP over UDP)
 * @param parameters the URI parameters in their order, names in lower case; a parameter without a value maps to
 *     the empty string ({@code ;lr}); unmodifiable, empty when there are none
 * @param secure whether this is a SIPS URI ({@code sips:}): one that must be reached over TLS
 */
public record SipUri(String user, String host, int port, Map<String, String> parameters, boolean secure) {

    /** The longest URI text {@link #parse} accepts, in characters. */
    public static final int MAX_LENGTH = 1024;
    /** The longest user part accepted, in characters. */
    public static final int MAX_USER_LENGTH = 256;
    /** The most URI parameters accepted. */
    public static final int MAX_PARAMETERS = 16;


    /**
     * Checks the parts.
     *
     * @throws InvalidArgumentException if a part is malformed
     */
    public SipUri {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(parameters, "parameters");
        if (user != null && !isValidUser(user)) {
            throw new InvalidArgumentException("user", "SIP URI user part '" + quote(user) + "' is empty, longer than "
                    + MAX_USER_LENGTH + " characters, or holds a character a SIP user part cannot have");
        }
        if (!isValidHost(host)) {
            throw new InvalidArgumentException("host", "'" + quote(host) + "' is not a valid host name or IP address");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidArgumentException("port", "port " + port + " is out of range 1-65535 (0 for none)");
        }
        parameters = checkedParameters(parameters);
    }

    /**
     * A SIP (not SIPS) URI.
     *
     * @param user the user part, or {@code null} when the URI has none
     * @param host the host
     * @param port the port, or {@code 0} for none
     * @param parameters the URI parameters in their order
     * @throws InvalidArgumentException if a part is malformed
     */
    public SipUri(String user, String host, int port, Map<String, String> parameters) {
        this(user, host, port, parameters, false);
    }

    /**
     * A SIP URI without parameters.
     *
     * @param user the user part, or {@code null} when the URI has none
     * @param host the host
     * @param port the port, or {@code 0} for none
     * @throws InvalidArgumentException if a part is malformed
     */
    public SipUri(String user, String host, int port) {
        this(user, host, port, Map.of());
    }

    /**
     * Parses a SIP URI in the lenient form {@code [[sip:]user@]host[:port][;params]}, or a SIPS URI
     * {@code sips:[user@]host[:port][;params]}.
     *
     * @param text the URI text
     * @return the URI
     * @throws InvalidArgumentException if {@code text} is null, empty, too long or not of that form; the message
     *     quotes it
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
     * @throws InvalidArgumentException if {@code text} is null, empty, longer than {@value #MAX_LENGTH} characters
     *     or not of the form {@code [[sip:]user@]host[:port][;params]} or {@code sips:[user@]host[:port][;params]}
     */
    public static SipUri parse(String parameter, String text) {
        Objects.requireNonNull(parameter, "parameter");
        if (text == null || text.isBlank()) {
            throw new InvalidArgumentException(parameter, parameter + " is missing: a SIP URI such as"
                    + " sip:1001@192.0.2.10:5060 is required");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidArgumentException(parameter, parameter + " '" + quote(text) + "' is "
                    + text.length() + " characters long; a SIP URI may have at most " + MAX_LENGTH);
        }
        return new Parser(parameter, text).parse();
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
        return new SipUri(user, host, newPort, parameters, secure);
    }

    /** Returns a copy of this URI with another user part ({@code null} for none). */
    public SipUri withUser(String newUser) {
        return new SipUri(newUser, host, port, parameters, secure);
    }

    /**
     * Returns a copy of this URI with other parameters.
     *
     * @param newParameters the parameters in their order; a parameter without a value maps to the empty string
     * @throws InvalidArgumentException if a name or value holds a character a URI parameter cannot have
     */
    public SipUri withParameters(Map<String, String> newParameters) {
        return new SipUri(user, host, port, newParameters, secure);
    }

    /** Returns whether the URI has a user part. */
    public boolean hasUser() {
        return user != null;
    }

    /** Returns whether the URI names a port. */
    public boolean hasPort() {
        return port != 0;
    }

    /**
     * Returns the value of a URI parameter.
     *
     * @param name the parameter's name, in any case
     * @return its value, the empty string for a parameter without a value, or {@code null} when the URI has no such
     *     parameter
     */
    public String parameter(String name) {
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Returns {@code sip:user@host:port;params} ({@code sips:...} for a SIPS URI), leaving out the user, the port and
     * parameters where absent.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(secure ? "sips:" : "sip:");
        if (user != null) {
            sb.append(user).append('@');
        }
        sb.append(host);
        if (port != 0) {
            sb.append(':').append(port);
        }
        parameters.forEach((name, value) -> {
            sb.append(';').append(name);
            if (!value.isEmpty()) {
                sb.append('=').append(value);
            }
        });
        return sb.toString();
    }

    /** Compares scheme, user (case-sensitively), host (case-insensitively), port and parameters (in order). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SipUri other
                && secure == other.secure
                && Objects.equals(user, other.user)
                && host.equalsIgnoreCase(other.host)
                && port == other.port
                && parameters.equals(other.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, host.toLowerCase(Locale.ROOT), port, parameters, secure);
    }

    private static Map<String, String> checkedParameters(Map<String, String> given) {
        if (given.isEmpty()) {
            return Map.of();
        }
        if (given.size() > MAX_PARAMETERS) {
            throw new InvalidArgumentException("parameters", "parameters: a SIP URI may have at most " + MAX_PARAMETERS
                    + " parameters, not " + given.size());
        }
        Map<String, String> copy = new LinkedHashMap<>();
        given.forEach((name, value) -> {
            Objects.requireNonNull(name, "parameter name");
            Objects.requireNonNull(value, "value of parameter " + name);
            if (!isParameterText(name, false) || !isParameterText(value, true)) {
                throw new InvalidArgumentException("parameters", "parameters: SIP URI parameter '" + quote(name) + "="
                        + quote(value) + "' is empty, longer than " + SipUriSyntax.MAX_PARAMETER_LENGTH
                        + " characters, or holds a character a URI parameter cannot have");
            }
            copy.put(name.toLowerCase(Locale.ROOT), value);
        });
        return Collections.unmodifiableMap(copy);
    }

    /**
     * One pass over {@code [[sip:]user@]host[:port][;params]} or {@code sips:...}: a cursor and bounded loops, nothing
     * recursive.
     */
    private static final class Parser {

        private final String parameter;
        private final String text;

        Parser(String parameter, String text) {
            this.parameter = parameter;
            this.text = text;
        }

        SipUri parse() {
            boolean secure = text.regionMatches(true, 0, "sips:", 0, 5);
            int start = secure ? 5 : text.regionMatches(true, 0, "sip:", 0, 4) ? 4 : 0;
            int at = text.indexOf('@', start);
            String user = null;
            if (at >= 0) {
                if (text.indexOf('@', at + 1) >= 0) {
                    throw malformed("it has more than one '@'");
                }
                user = text.substring(start, at);
                if (!isValidUser(user)) {
                    throw malformed(user.isEmpty() ? "the user part is empty"
                            : user.length() > MAX_USER_LENGTH ? "the user part is longer than " + MAX_USER_LENGTH
                                    + " characters"
                            : "the user part holds a character a SIP user part cannot have");
                }
                start = at + 1;
            }
            int semicolon = text.indexOf(';', start);
            int hostPortEnd = semicolon >= 0 ? semicolon : text.length();
            int[] portStart = {-1};
            String host = host(start, hostPortEnd, portStart);
            int port = 0;
            if (portStart[0] >= 0) {
                port = port(portStart[0], hostPortEnd);
            }
            Map<String, String> parameters = semicolon >= 0 ? parameters(semicolon) : Map.of();
            return new SipUri(user, host, port, parameters, secure);
        }

        private String host(int from, int to, int[] portStart) {
            int hostEnd;
            if (from < to && text.charAt(from) == '[') {
                int close = text.indexOf(']', from);
                if (close < 0 || close >= to) {
                    throw malformed("the IPv6 reference has no closing ']'");
                }
                hostEnd = close + 1;
                if (hostEnd < to && text.charAt(hostEnd) != ':') {
                    throw malformed("a port must follow the IPv6 reference after ':'");
                }
            } else {
                int colon = text.indexOf(':', from);
                hostEnd = colon >= 0 && colon < to ? colon : to;
            }
            if (hostEnd < to) {
                portStart[0] = hostEnd + 1;
            }
            String host = text.substring(from, hostEnd);
            if (host.isEmpty()) {
                throw malformed("the host is missing");
            }
            if (!isValidHost(host)) {
                throw new InvalidArgumentException(parameter, parameter + " '" + quote(text) + "': '" + quote(host)
                        + "' is not a valid host name or IP address");
            }
            return host;
        }

        private int port(int from, int to) {
            if (to - from < 1 || to - from > 5) {
                throw malformed("the port must be 1 to 5 digits");
            }
            int port = 0;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    throw malformed("the port must be 1 to 5 digits");
                }
                port = port * 10 + (c - '0');
            }
            if (port < 1 || port > 65535) {
                throw new InvalidArgumentException(parameter, parameter + " '" + quote(text) + "': port " + port
                        + " is out of range 1-65535");
            }
            return port;
        }

        private Map<String, String> parameters(int semicolon) {
            Map<String, String> parameters = new LinkedHashMap<>();
            int i = semicolon;
            while (i < text.length()) {
                int end = text.indexOf(';', i + 1);
                if (end < 0) {
                    end = text.length();
                }
                int equals = text.indexOf('=', i + 1);
                int nameEnd = equals >= 0 && equals < end ? equals : end;
                String name = text.substring(i + 1, nameEnd);
                String value = nameEnd < end ? text.substring(nameEnd + 1, end) : "";
                if (!isParameterText(name, false) || (nameEnd < end && !isParameterText(value, false))) {
                    throw malformed("the parameter '" + quote(text.substring(i + 1, end))
                            + "' is not name or name=value of the characters a URI parameter may have");
                }
                if (parameters.put(name.toLowerCase(Locale.ROOT), value) != null) {
                    throw malformed("the parameter '" + quote(name) + "' appears twice");
                }
                if (parameters.size() > MAX_PARAMETERS) {
                    throw malformed("it has more than " + MAX_PARAMETERS + " parameters");
                }
                i = end;
            }
            return parameters;
        }

        private InvalidArgumentException malformed(String why) {
            return new InvalidArgumentException(parameter, parameter + " '" + quote(text) + "' is not a SIP URI of"
                    + " the form [[sip:]user@]host[:port][;name=value] (or sips:...): " + why);
        }
    }
}
