package org.cti4j.sip.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Response;

/**
 * The client side of HTTP digest (RFC 3261 §22, RFC 2617 with {@code qop=auth}, RFC 8760 SHA-256) for one
 * registration: keeps the registrar's last challenge and answers it for each REGISTER, so that a refresh reuses the
 * nonce (with the nonce count raised) instead of costing a 401 round trip; a challenge with {@code stale=true} is
 * answered again with the same credentials. Not thread-safe: used on its registration's executor.
 */
final class DigestAnswer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String username;
    private final String password;
    private Challenge challenge;
    private int nonceCount;

    DigestAnswer(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** A challenge: what a 401's WWW-Authenticate or a 407's Proxy-Authenticate asked for. */
    record Challenge(boolean proxy, String realm, String nonce, String opaque, String algorithm, boolean qopAuth,
            boolean stale) {
    }

    /**
     * Reads the digest challenge of a 401 or 407.
     *
     * @return the challenge; empty when the response carries none this side can answer (another scheme, an unknown
     *     algorithm, {@code qop} without {@code auth})
     */
    static Optional<Challenge> challengeOf(Response response) {
        boolean proxy = response.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        WWWAuthenticateHeader header = (WWWAuthenticateHeader) response.getHeader(proxy
                ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME);
        if (header == null || !"Digest".equalsIgnoreCase(header.getScheme()) || header.getNonce() == null
                || header.getRealm() == null) {
            return Optional.empty();
        }
        String algorithm = header.getAlgorithm() == null ? "MD5" : header.getAlgorithm().toUpperCase(Locale.ROOT);
        if (!algorithm.equals("MD5") && !algorithm.equals("SHA-256")) {
            return Optional.empty();
        }
        String qop = header.getQop();
        boolean qopAuth = false;
        if (qop != null) {
            for (String option : qop.split(",", -1)) {
                qopAuth |= option.trim().equalsIgnoreCase("auth");
            }
            if (!qopAuth) {
                return Optional.empty();
            }
        }
        String stale = header.getParameter("stale");
        return Optional.of(new Challenge(proxy, header.getRealm(), header.getNonce(), header.getOpaque(), algorithm,
                qopAuth, "true".equalsIgnoreCase(stale)));
    }

    /** Takes {@code fresh} as the challenge to answer from now on. */
    void challenged(Challenge fresh) {
        this.challenge = fresh;
        this.nonceCount = 0;
    }

    /** Returns whether a challenge is known: the next request can carry an answer. */
    boolean ready() {
        return challenge != null;
    }

    /** Returns the realm of the challenge answered, or {@code null}. */
    String realm() {
        return challenge == null ? null : challenge.realm();
    }

    /** Forgets the challenge: the next request goes without an answer. */
    void forget() {
        challenge = null;
    }

    /**
     * Returns the Authorization (or Proxy-Authorization) header answering the challenge for {@code method} on
     * {@code uri}, with the nonce count raised.
     */
    AuthorizationHeader answer(HeaderFactory headers, String method, URI requestUri) throws ParseException {
        String uri = requestUri.toString();
        Challenge c = challenge;
        AuthorizationHeader header = c.proxy() ? headers.createProxyAuthorizationHeader("Digest")
                : headers.createAuthorizationHeader("Digest");
        header.setUsername(username);
        header.setRealm(c.realm());
        header.setNonce(c.nonce());
        header.setURI(requestUri);
        header.setAlgorithm(c.algorithm());
        if (c.opaque() != null) {
            header.setOpaque(c.opaque());
        }
        String ha1 = hash(c.algorithm(), username + ":" + c.realm() + ":" + password);
        String ha2 = hash(c.algorithm(), method + ":" + uri);
        if (c.qopAuth()) {
            nonceCount++;
            String nc = String.format(Locale.ROOT, "%08x", nonceCount);
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            String cnonce = HexFormat.of().formatHex(random);
            header.setQop("auth");
            header.setNonceCount(nonceCount);
            header.setCNonce(cnonce);
            header.setResponse(hash(c.algorithm(), ha1 + ":" + c.nonce() + ":" + nc + ":" + cnonce + ":auth:" + ha2));
        } else {
            header.setResponse(hash(c.algorithm(), ha1 + ":" + c.nonce() + ":" + ha2));
        }
        return header;
    }

    private static String hash(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from the JDK", e);
        }
    }
}
