package org.cti4j.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.cti4j.server.CtiServerConfig.BadInputException;

/** Reads the values of {@link CtiServerConfig}'s flags; each failure names the flag and the value. */
final class ConfigValues {

    private ConfigValues() {
    }

    /** Reads {@code cdr-fsync}: {@code record} (each line synced at once) or milliseconds, 1-60000. */
    static Duration cdrSyncInterval(Map<String, String> s, Path cdrFile) throws BadInputException {
        String value = s.get("cdr-fsync");
        if (value == null) {
            return CdrFile.DEFAULT_SYNC_INTERVAL;
        }
        if (cdrFile == null) {
            throw bad("cdr-fsync", value, "is given without --cdr-file");
        }
        if (value.trim().equalsIgnoreCase("record")) {
            return Duration.ZERO;
        }
        try {
            return Duration.ofMillis(number("cdr-fsync", value, 1, (int) CdrFile.MAX_SYNC_INTERVAL.toMillis()));
        } catch (BadInputException e) {
            throw bad("cdr-fsync", value, "is not 'record' or a number of milliseconds within 1-"
                    + CdrFile.MAX_SYNC_INTERVAL.toMillis());
        }
    }

    static String notEmpty(String flag, String value) throws BadInputException {
        if (value.isBlank()) {
            throw new BadInputException("--" + flag + " is empty");
        }
        return value;
    }

    static String host(String flag, String value) throws BadInputException {
        if (value.isBlank()) {
            throw new BadInputException("--" + flag + " is empty");
        }
        try {
            InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw bad(flag, value, "is not an address of this machine's networks or a known host name");
        }
        return value;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static int number(String flag, String value, int min, int max) throws BadInputException {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw bad(flag, value, "is not a whole number");
        }
        if (n < min || n > max) {
            throw bad(flag, value, "is out of range " + min + "-" + max);
        }
        return n;
    }

    static Path path(String flag, String value) throws BadInputException {
        if (value.isBlank()) {
            throw new BadInputException("--" + flag + " is empty");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw bad(flag, value, "is not a file name: " + e.getMessage());
        }
    }

    static BadInputException bad(String flag, String value, String why) {
        return new BadInputException("--" + flag + " '" + value + "' " + why);
    }
}
