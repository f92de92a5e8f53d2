package org.cti4j.sip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the kernel's TCP table (Linux {@code /proc/net/tcp}) to see which connections really exist. */
final class TcpConnections {

    private static final String ESTABLISHED = "01";

    private TcpConnections() {
    }

    /**
     * Returns how many established TCP connections have {@code port} as their remote port (IPv4 and IPv6 tables:
     * the JVM's sockets are dual-stack and listed in the latter).
     */
    static long establishedTo(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        long count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (Files.exists(path)) {
                count += Files.readAllLines(path).stream().skip(1).map(String::trim).map(line -> line.split("\\s+"))
                        .filter(f -> f.length > 3 && f[2].endsWith(hexPort) && f[3].equals(ESTABLISHED)).count();
            }
        }
        return count;
    }
}
