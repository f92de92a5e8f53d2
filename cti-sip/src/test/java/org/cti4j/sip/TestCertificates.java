package org.cti4j.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the JDK's {@code keytool} only (no openssl needed): a CA, a server certificate
 * for 127.0.0.1 (subject alternative name {@code ip:127.0.0.1}) signed by it, one for the name {@code localhost}
 * alone, a trust store holding the CA, a self-signed certificate nobody trusts, and PEM files for baresip. Everything is under one folder, which
 * {@link #close()} deletes.
 */
public final class TestCertificates implements AutoCloseable {

    /** The password of every store made here. */
    public static final String PASSWORD = "test-secret";

    /** The folder everything is in. */
    public final Path folder;
    /** PKCS12: the server key and certificate for 127.0.0.1, signed by the CA (with the CA in its chain). */
    public final Path serverKeyStore;
    /** PKCS12: a key and certificate naming {@code localhost} only (no address), signed by the CA. */
    public final Path localhostKeyStore;
    /** PKCS12: the CA's certificate. */
    public final Path trustStore;
    /** PKCS12: a self-signed key and certificate for 127.0.0.1, which no trust store here holds. */
    public final Path untrustedKeyStore;
    /** PEM: the server's private key and its certificate chain (baresip's {@code sip_certificate}). */
    public final Path serverPem;
    /** PEM: the CA's certificate (baresip's {@code sip_cafile}). */
    public final Path caPem;

    private TestCertificates(Path folder) {
        this.folder = folder;
        this.serverKeyStore = folder.resolve("server.p12");
        this.localhostKeyStore = folder.resolve("localhost.p12");
        this.trustStore = folder.resolve("trust.p12");
        this.untrustedKeyStore = folder.resolve("untrusted.p12");
        this.serverPem = folder.resolve("server.pem");
        this.caPem = folder.resolve("ca.pem");
    }

    /** Makes the certificates in a new folder under {@code target/test-tmp}. */
    public static TestCertificates create() throws IOException {
        Path root = Path.of("target", "test-tmp");
        Files.createDirectories(root);
        TestCertificates made = new TestCertificates(Files.createTempDirectory(root, "tls-").toAbsolutePath());
        try {
            made.make();
            return made;
        } catch (IOException | RuntimeException | Error e) {
            made.close();
            throw e;
        }
    }

    private void make() throws IOException {
        Path ca = folder.resolve("ca.p12");
        String[] store = {"-storetype", "PKCS12", "-storepass", PASSWORD};
        keytool(store, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=cti4j test CA", "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString());
        keytool(store, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
        signedBy(ca, serverKeyStore, "CN=127.0.0.1", "san=ip:127.0.0.1");
        signedBy(ca, localhostKeyStore, "CN=localhost", "san=dns:localhost");
        keytool(store, "-importcert", "-noprompt", "-alias", "ca", "-keystore", trustStore.toString(), "-file",
                caPem.toString());
        keytool(store, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore",
                untrustedKeyStore.toString());
        writePem(serverKeyStore, "server", serverPem);
    }

    /** Makes {@code keyStore} with a key and a certificate for {@code san}, signed by the CA in {@code ca}. */
    private void signedBy(Path ca, Path keyStore, String dname, String san) throws IOException {
        Path csr = folder.resolve("request.csr");
        Path signed = folder.resolve("signed.crt");
        String[] store = {"-storetype", "PKCS12", "-storepass", PASSWORD};
        keytool(store, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                dname, "-validity", "2", "-keystore", keyStore.toString());
        keytool(store, "-certreq", "-alias", "server", "-keystore", keyStore.toString(), "-file", csr.toString());
        keytool(store, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(),
                "-outfile", signed.toString(), "-validity", "2", "-ext", san,
                "-ext", "eku=serverAuth,clientAuth", "-ext", "ku=digitalSignature");
        keytool(store, "-importcert", "-noprompt", "-alias", "ca", "-keystore", keyStore.toString(), "-file",
                caPem.toString());
        keytool(store, "-importcert", "-noprompt", "-alias", "server", "-keystore", keyStore.toString(),
                "-file", signed.toString());
    }

    private void keytool(String[] store, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of(store));
        Path log = folder.resolve("keytool.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool took over 60 s: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed: " + command + "\n" + Files.readString(log));
        }
    }

    /** Writes the key of {@code alias} (PKCS#8) and its certificate chain as PEM. */
    private static void writePem(Path keyStore, String alias, Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            Key key = store.getKey(alias, PASSWORD.toCharArray());
            StringBuilder text = new StringBuilder(pem("PRIVATE KEY", key.getEncoded()));
            for (Certificate certificate : store.getCertificateChain(alias)) {
                text.append(pem("CERTIFICATE", certificate.getEncoded()));
            }
            Files.writeString(pem, text, StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + keyStore + ": " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Deletes the folder. */
    @Override
    public void close() {
        try {
            TestFiles.deleteTree(folder);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
