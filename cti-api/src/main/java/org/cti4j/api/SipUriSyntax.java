package org.cti4j.api;

/**
 * The character-level syntax of {@link SipUri}'s parts (RFC 3261 user, host, parameter text; IPv4, IPv6, DNS names),
 * checked with bounded loops over the text, and how a bad value is quoted in an error message.
 */
final class SipUriSyntax {

    private static final int MAX_HOST_LENGTH = 253;
    static final int MAX_PARAMETER_LENGTH = 256;
    private static final int QUOTED_LENGTH = 300;
    /** RFC 3261 unreserved marks, and the user-unreserved characters a user part may hold besides. */
    private static final String USER_MARKS = "-_.!~*'()&=+$,;?/";
    /** RFC 3261 unreserved marks, and the param-unreserved characters a parameter may hold besides. */
    private static final String PARAM_MARKS = "-_.!~*'()[]/:&+$";

    private SipUriSyntax() {
    }

    /** Shortens a bad value for an error message, so that a megabyte of input never becomes a megabyte of log. */
    static String quote(String text) {
        if (text.length() <= QUOTED_LENGTH) {
            return text;
        }
        return text.substring(0, QUOTED_LENGTH) + "...(" + text.length() + " characters)";
    }

    static boolean isParameterText(String text, boolean mayBeEmpty) {
        if (text.length() > MAX_PARAMETER_LENGTH || (text.isEmpty() && !mayBeEmpty)) {
            return false;
        }
        return isEscapedRun(text, 0, text.length(), PARAM_MARKS);
    }

    static boolean isValidUser(String user) {
        return !user.isEmpty() && user.length() <= SipUri.MAX_USER_LENGTH && isEscapedRun(user, 0, user.length(), USER_MARKS);
    }

    /** Whether {@code text[from, to)} is alphanumerics, the given marks and {@code %HH} escapes only. */
    static boolean isEscapedRun(String text, int from, int to, String marks) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || !isHexDigit(text.charAt(i + 1)) || !isHexDigit(text.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!isAsciiAlphanumeric(c) && marks.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isValidHost(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST_LENGTH + 2) {
            return false;
        }
        if (host.charAt(0) == '[') {
            return host.length() > 2 && host.charAt(host.length() - 1) == ']'
                    && isIpv6(host.substring(1, host.length() - 1));
        }
        boolean digitsAndDots = true;
        for (int i = 0; i < host.length() && digitsAndDots; i++) {
            char c = host.charAt(i);
            digitsAndDots = c == '.' || (c >= '0' && c <= '9');
        }
        if (digitsAndDots) {
            // All digits and dots: it must be a dotted-quad IPv4 address, not a "host name" like 300.1.1.1.
            return isIpv4(host);
        }
        return host.length() <= MAX_HOST_LENGTH && isDnsName(host);
    }

    /** {@code label *("." label) ["."]}, each label alphanumerics and inner hyphens, at most 63 characters. */
    static boolean isDnsName(String host) {
        int end = host.endsWith(".") ? host.length() - 1 : host.length();
        int labelStart = 0;
        for (int i = 0; i <= end; i++) {
            if (i == end || host.charAt(i) == '.') {
                int length = i - labelStart;
                if (length == 0 || length > 63 || host.charAt(labelStart) == '-' || host.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else {
                char c = host.charAt(i);
                if (!isAsciiAlphanumeric(c) && c != '-') {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean isIpv4(String address) {
        int octets = 0;
        int start = 0;
        for (int i = 0; i <= address.length(); i++) {
            if (i == address.length() || address.charAt(i) == '.') {
                if (!isOctet(address, start, i)) {
                    return false;
                }
                octets++;
                start = i + 1;
            }
        }
        return octets == 4;
    }

    /** A decimal 0 to 255 without leading zeros, in {@code text[from, to)} (digits only, checked by the caller). */
    static boolean isOctet(String text, int from, int to) {
        int length = to - from;
        if (length < 1 || length > 3 || (length > 1 && text.charAt(from) == '0')) {
            return false;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255;
    }

    static boolean isIpv6(String address) {
        if (address.isEmpty() || address.indexOf(':') < 0) {
            return false;
        }
        int doubleColon = address.indexOf("::");
        if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        int groups = 0;
        String[] halves = doubleColon >= 0
                ? new String[] {address.substring(0, doubleColon), address.substring(doubleColon + 2)}
                : new String[] {address};
        for (int h = 0; h < halves.length; h++) {
            String half = halves[h];
            if (half.isEmpty()) {
                continue;
            }
            int start = 0;
            for (int i = 0; i <= half.length(); i++) {
                if (i < half.length() && half.charAt(i) != ':') {
                    continue;
                }
                boolean last = h == halves.length - 1 && i == half.length();
                if (last && half.indexOf('.', start) >= 0) {
                    if (!isIpv4(half.substring(start))) {
                        return false;
                    }
                    groups += 2;
                } else if (isHexGroup(half, start, i)) {
                    groups++;
                } else {
                    return false;
                }
                start = i + 1;
            }
        }
        return doubleColon >= 0 ? groups < 8 : groups == 8;
    }

    static boolean isHexGroup(String text, int from, int to) {
        if (to - from < 1 || to - from > 4) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isHexDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean isAsciiAlphanumeric(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
