package vn.truc.server.trust;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.crypto.Pem;

/**
 * A real {@code openssl ocsp} responder on loopback, answering from an openssl CA index file:
 * the independent judge of what our OCSP client sends and accepts.
 */
final class OpensslOcsp implements AutoCloseable {
    private static final DateTimeFormatter INDEX_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern ACCEPT = Pattern.compile("ACCEPT \\S*:(\\d+)");

    private final Process process;
    private final int port;

    private OpensslOcsp(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** One index line per certificate; {@code revoked} ones are marked revoked an hour ago. */
    static String index(List<X509Certificate> good, List<X509Certificate> revoked) {
        StringBuilder index = new StringBuilder();
        for (X509Certificate cert : good) {
            index.append("V\t").append(time(cert.getNotAfter().toInstant())).append("\t\t");
            index.append(serial(cert)).append("\tunknown\t/CN=good\n");
        }
        for (X509Certificate cert : revoked) {
            index.append("R\t").append(time(cert.getNotAfter().toInstant())).append('\t');
            index.append(time(Instant.now().minusSeconds(3600))).append(",keyCompromise\t");
            index.append(serial(cert)).append("\tunknown\t/CN=revoked\n");
        }
        return index.toString();
    }

    /**
     * Starts {@code openssl ocsp} in {@code dir}, signing with {@code signer}, answering for
     * certificates of {@code ca}; {@code extra} are further options such as {@code -nmin 1}.
     */
    static OpensslOcsp start(Path dir, String index, X509Certificate ca, KeyAndChain signer, String... extra)
            throws IOException, InterruptedException {
        Files.writeString(dir.resolve("index.txt"), index);
        Files.writeString(dir.resolve("index.txt.attr"), "unique_subject = no\n");
        Files.writeString(dir.resolve("ca.pem"), Certificates.toPem(ca));
        Files.writeString(dir.resolve("ocsp.pem"), Certificates.toPem(signer.certificate()));
        Files.writeString(dir.resolve("ocsp.key"), Pem.write(signer.privateKey()));
        List<String> command = new ArrayList<>(List.of(
                "openssl",
                "ocsp",
                "-index",
                "index.txt",
                "-port",
                "0",
                "-rsigner",
                "ocsp.pem",
                "-rkey",
                "ocsp.key",
                "-CA",
                "ca.pem"));
        command.addAll(List.of(extra));
        Path log = dir.resolve("openssl.log");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new OpensslOcsp(process, awaitPort(process, log));
    }

    /** openssl prints {@code ACCEPT [::]:PORT} once it listens on the port it was given (0: any). */
    private static int awaitPort(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Matcher accept = ACCEPT.matcher(output);
            if (accept.find() && output.contains("waiting for OCSP client connections")) {
                return Integer.parseInt(accept.group(1));
            }
            if (!process.isAlive()) {
                throw new IOException("openssl ocsp exited: " + output);
            }
            Thread.sleep(20);
        }
        process.destroyForcibly();
        throw new IOException("openssl ocsp did not start: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String time(Instant instant) {
        return INDEX_TIME.format(instant);
    }

    /** As openssl's index holds serials: upper-case hex, whole bytes. */
    private static String serial(X509Certificate cert) {
        String hex = cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }
}
