package net.rrispeaker.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throwaway PKI for TLS tests, made once per test JVM with the JDK's own {@code keytool} (no
 * other tool needed): a CA, a server certificate for 127.0.0.1 and a client certificate both
 * signed by it, and a self-signed "stranger" client certificate no CA vouches for. Everything is
 * PEM as the speaker reads it (keys PKCS#8); the files are deleted when the JVM exits.
 */
public final class TestCertificates {
    private static final String PASS = "changeit";
    private static TestCertificates made;

    public final Path ca;
    public final Path serverChain;
    public final Path serverKey;
    public final Path clientCert;
    public final Path clientKey;
    public final Path strangerCert;
    public final Path strangerKey;

    private TestCertificates(Path dir) {
        ca = dir.resolve("ca.pem");
        serverChain = dir.resolve("server-chain.pem");
        serverKey = dir.resolve("server.key");
        clientCert = dir.resolve("client.pem");
        clientKey = dir.resolve("client.key");
        strangerCert = dir.resolve("stranger.pem");
        strangerKey = dir.resolve("stranger.key");
    }

    public static synchronized TestCertificates get() throws Exception {
        if (made == null) {
            Path dir = Files.createTempDirectory("rri-test-pki");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            made = new TestCertificates(dir);
            made.make(dir);
        }
        return made;
    }

    private void make(Path dir) throws Exception {
        keyPair(dir, "ca", "CN=rri test CA", "-ext", "bc:c");
        keytool(dir, "-exportcert", "-keystore", "ca.p12", "-storepass", PASS, "-alias", "ca", "-rfc", "-file", "ca.pem");
        signed(dir, "server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost", "serverAuth");
        Files.writeString(serverChain, Files.readString(dir.resolve("server.pem")) + Files.readString(ca));
        signed(dir, "client", "CN=rri operator", null, "clientAuth");
        keyPair(dir, "stranger", "CN=stranger");
        keytool(dir, "-exportcert", "-keystore", "stranger.p12", "-storepass", PASS, "-alias", "stranger", "-rfc",
                "-file", "stranger.pem");
        writeKey(dir, "server", serverKey);
        writeKey(dir, "client", clientKey);
        writeKey(dir, "stranger", strangerKey);
    }

    private static void keyPair(Path dir, String name, String dn, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-keystore", name + ".p12", "-storetype", "PKCS12",
                "-storepass", PASS, "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dn,
                "-validity", "3"));
        args.addAll(List.of(extra));
        keytool(dir, args.toArray(String[]::new));
    }

    /** A key pair {@code name} whose certificate (name.pem) the CA signed. */
    private static void signed(Path dir, String name, String dn, String san, String eku) throws Exception {
        keyPair(dir, name, dn);
        keytool(dir, "-certreq", "-keystore", name + ".p12", "-storepass", PASS, "-alias", name, "-file", name + ".csr");
        List<String> args = new ArrayList<>(List.of("-gencert", "-keystore", "ca.p12", "-storepass", PASS, "-alias", "ca",
                "-infile", name + ".csr", "-outfile", name + ".pem", "-rfc", "-validity", "3", "-ext", "eku=" + eku));
        if (san != null) {
            args.addAll(List.of("-ext", "san=" + san.substring("san=".length())));
        }
        keytool(dir, args.toArray(String[]::new));
    }

    /** The private key of {@code name}.p12 as PEM PKCS#8 ("BEGIN PRIVATE KEY"). */
    private static void writeKey(Path dir, String name, Path out) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            ks.load(in, PASS.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey(name, PASS.toCharArray());
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        Files.writeString(out, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
    }

    private static void keytool(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // a short-lived JVM each: starts faster without the optimising compiler
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed:\n" + out);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
