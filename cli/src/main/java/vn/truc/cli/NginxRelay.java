package vn.truc.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.net.FreePorts;

/**
 * The baseline an agency would build without Truc: two stock nginx instances relaying plain HTTP
 * from a client (to relay A on loopback) over mutual TLS 1.3 (A presents a client certificate, B
 * requires one from the same CA) to relay B, which calls the backend. Both keep their upstream
 * connections alive and write an access log, as a stock configuration does. The certificates are
 * RSA-2048 like the security servers' auth keys, made with {@code openssl}.
 */
final class NginxRelay implements AutoCloseable {
    private final Path dir;
    private final Process a;
    private final Process b;
    private final int portA;

    private NginxRelay(Path dir, Process a, Process b, int portA) {
        this.dir = dir;
        this.a = a;
        this.b = b;
        this.portA = portA;
    }

    /** nginx on PATH (or in /usr/sbin, where Debian puts it and a user's PATH often does not look). */
    static Optional<Path> find() {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "nginx"))) {
                return Optional.of(Path.of(d, "nginx"));
            }
        }
        return Optional.empty();
    }

    /** Makes the certificates and configuration in {@code dir}, starts both relays and waits until they listen. */
    static NginxRelay start(Path dir, int backendPort) throws IOException, InterruptedException {
        Path nginx = find().orElseThrow(() -> new TrucException(
                Origin.CLI,
                ErrorCode.NOT_FOUND,
                "nginx is not installed (not on PATH, nor in /usr/sbin): install it (Debian: apt-get install nginx)"
                        + " or leave the nginx baseline out with --baselines direct"));
        Files.createDirectories(dir);
        certificates(dir);
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        Files.writeString(dir.resolve("b.conf"), config(dir, "b", serverB(dir, portB, backendPort)));
        Files.writeString(dir.resolve("a.conf"), config(dir, "a", serverA(dir, portA, portB)));
        Process b = launch(nginx, dir, "b");
        Process a = launch(nginx, dir, "a");
        NginxRelay relay = new NginxRelay(dir, a, b, portA);
        try {
            relay.awaitListening(portB, b, "b");
            relay.awaitListening(portA, a, "a");
        } catch (IOException | RuntimeException e) {
            relay.close();
            throw e;
        }
        return relay;
    }

    /** Where a client sends what it would send to the backend. */
    String base() {
        return "http://127.0.0.1:" + portA;
    }

    long pidA() {
        return a.pid();
    }

    long pidB() {
        return b.pid();
    }

    private static void certificates(Path dir) throws IOException, InterruptedException {
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=truc bench relay CA");
        for (String name : List.of("a", "b")) {
            Files.writeString(
                    dir.resolve(name + ".ext"),
                    "subjectAltName=DNS:relay-" + name + ",IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
            openssl(
                    dir,
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    name + ".key",
                    "-out",
                    name + ".csr",
                    "-subj",
                    "/CN=relay-" + name);
            openssl(
                    dir,
                    "x509",
                    "-req",
                    "-in",
                    name + ".csr",
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    "2",
                    "-extfile",
                    name + ".ext",
                    "-out",
                    name + ".pem");
        }
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + output.strip());
        }
    }

    private static String config(Path dir, String name, String server) {
        Path tmp = dir.resolve(name + "-tmp");
        return "worker_processes auto;\n"
                + "daemon off;\n"
                + "pid " + dir.resolve(name + ".pid") + ";\n"
                + "error_log " + dir.resolve(name + "-error.log") + " warn;\n"
                + "events { worker_connections 4096; }\n"
                + "http {\n"
                + "  access_log " + dir.resolve(name + "-access.log") + ";\n"
                + "  client_body_temp_path " + tmp.resolve("body") + ";\n"
                + "  proxy_temp_path " + tmp.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + tmp.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + tmp.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + tmp.resolve("scgi") + ";\n"
                + server
                + "}\n";
    }

    private static String serverA(Path dir, int portA, int portB) {
        return "  upstream relay_b { server 127.0.0.1:" + portB + "; keepalive 256; }\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + portA + ";\n"
                + "    location / {\n"
                + "      proxy_pass https://relay_b;\n"
                + "      proxy_http_version 1.1;\n"
                + "      proxy_set_header Connection \"\";\n"
                + "      proxy_ssl_protocols TLSv1.3;\n"
                + "      proxy_ssl_certificate " + dir.resolve("a.pem") + ";\n"
                + "      proxy_ssl_certificate_key " + dir.resolve("a.key") + ";\n"
                + "      proxy_ssl_trusted_certificate " + dir.resolve("ca.pem") + ";\n"
                + "      proxy_ssl_verify on;\n"
                + "      proxy_ssl_name relay-b;\n"
                + "    }\n"
                + "  }\n";
    }

    private static String serverB(Path dir, int portB, int backendPort) {
        return "  upstream backend { server 127.0.0.1:" + backendPort + "; keepalive 256; }\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + portB + " ssl;\n"
                + "    ssl_protocols TLSv1.3;\n"
                + "    ssl_certificate " + dir.resolve("b.pem") + ";\n"
                + "    ssl_certificate_key " + dir.resolve("b.key") + ";\n"
                + "    ssl_client_certificate " + dir.resolve("ca.pem") + ";\n"
                + "    ssl_verify_client on;\n"
                + "    location / {\n"
                + "      proxy_pass http://backend;\n"
                + "      proxy_http_version 1.1;\n"
                + "      proxy_set_header Connection \"\";\n"
                + "    }\n"
                + "  }\n";
    }

    private static Process launch(Path nginx, Path dir, String name) throws IOException {
        Files.createDirectories(dir.resolve(name + "-tmp"));
        return new ProcessBuilder(
                        nginx.toString(),
                        "-p",
                        dir.toString(),
                        "-c",
                        dir.resolve(name + ".conf").toString(),
                        "-e",
                        dir.resolve(name + "-error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve(name + "-console.log").toFile()))
                .start();
    }

    private void awaitListening(int port, Process process, String name) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("nginx relay " + name + " exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve(name + "-console.log")).strip());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IOException("nginx relay " + name + " not listening on " + port + " after 20 s");
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : List.of(a, b)) {
            p.destroy();
        }
        for (Process p : List.of(a, b)) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }
}
