package org.cti4j.sip.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import javax.sip.RequestEvent;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Challenges inbound INVITEs with HTTP digest (RFC 3261 §22, RFC 2617 MD5 with {@code qop=auth}) and checks the
 * answers. Nonces carry their creation time and a keyed hash, so they need no storage and expire after five minutes.
 */
final class DigestChallenger {

    private static final Logger log = LoggerFactory.getLogger(DigestChallenger.class);
    private static final long NONCE_LIFETIME_MILLIS = 5 * 60_000L;

    private final String realm;
    private final Map<String, String> users;
    private final HeaderFactory headers;
    private final byte[] secret = new byte[32];

    DigestChallenger(String realm, Map<String, String> users, HeaderFactory headers) {
        this.realm = realm;
        this.users = Map.copyOf(users);
        this.headers = headers;
        new SecureRandom().nextBytes(secret);
    }

    /** Returns whether the request carries a valid answer to one of our challenges. */
    boolean authorized(Request request) {
        AuthorizationHeader auth = (AuthorizationHeader) request.getHeader(AuthorizationHeader.NAME);
        if (auth == null || !"Digest".equalsIgnoreCase(auth.getScheme()) || !realm.equals(auth.getRealm())
                || auth.getNonce() == null || auth.getResponse() == null || auth.getURI() == null) {
            return false;
        }
        String password = users.get(auth.getUsername());
        if (password == null || !nonceValid(auth.getNonce())) {
            return false;
        }
        String ha1 = md5(auth.getUsername() + ":" + realm + ":" + password);
        String ha2 = md5(request.getMethod() + ":" + auth.getURI());
        String expected;
        if (auth.getQop() != null) {
            String nc = String.format("%08x", auth.getNonceCount());
            expected = md5(ha1 + ":" + auth.getNonce() + ":" + nc + ":" + auth.getCNonce() + ":" + auth.getQop()
                    + ":" + ha2);
        } else {
            expected = md5(ha1 + ":" + auth.getNonce() + ":" + ha2);
        }
        boolean ok = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.getResponse().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        if (!ok) {
            log.info("digest answer of {} in realm {} is wrong", auth.getUsername(), realm);
        }
        return ok;
    }

    /** Answers the request with 401 and a fresh challenge. */
    void challenge(SipAgent sip, RequestEvent event) {
        try {
            Response response = sip.messages().createResponse(Response.UNAUTHORIZED, event.getRequest());
            ((javax.sip.header.ToHeader) response.getHeader(javax.sip.header.ToHeader.NAME))
                    .setTag(Long.toHexString(System.nanoTime()));
            WWWAuthenticateHeader header = headers.createWWWAuthenticateHeader("Digest");
            header.setRealm(realm);
            header.setNonce(newNonce());
            header.setAlgorithm("MD5");
            header.setQop("auth");
            response.setHeader(header);
            javax.sip.ServerTransaction transaction = sip.responder().serverTransaction(event);
            if (transaction != null) {
                transaction.sendResponse(response);
            }
        } catch (Exception e) {
            log.info("cannot send a digest challenge: {}", e.toString());
        }
    }

    private String newNonce() {
        String time = Long.toHexString(System.currentTimeMillis());
        return time + "." + keyed(time);
    }

    private boolean nonceValid(String nonce) {
        int dot = nonce.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String time = nonce.substring(0, dot);
        if (!MessageDigest.isEqual(keyed(time).getBytes(StandardCharsets.US_ASCII),
                nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        try {
            long age = System.currentTimeMillis() - Long.parseLong(time, 16);
            return age >= 0 && age < NONCE_LIFETIME_MILLIS;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String keyed(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(secret);
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.US_ASCII)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from the JDK", e);
        }
    }
}
