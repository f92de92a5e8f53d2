package org.cti4j.sip;

import java.util.Objects;

/**
 * A user name and password to answer a digest challenge (401/407) with.
 *
 * @param realm the realm it is for, as the challenge names it; empty to answer any realm
 * @param username the user name
 * @param password the password
 */
public record SipCredential(String realm, String username, String password) {

    /** Checks the parts. */
    public SipCredential {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** Returns whether it answers a challenge of {@code challengeRealm}. */
    public boolean matches(String challengeRealm) {
        return realm.isEmpty() || realm.equals(challengeRealm);
    }

    /** Leaves the password out. */
    @Override
    public String toString() {
        return "SipCredential[realm=" + realm + ", username=" + username + "]";
    }
}
