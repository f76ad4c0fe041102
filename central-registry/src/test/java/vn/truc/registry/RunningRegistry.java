package vn.truc.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import vn.truc.core.net.FreePorts;

/** A real registry in a temporary folder on a free loopback port, and an HTTP client for it. */
final class RunningRegistry implements AutoCloseable {
    static final char[] PIN = "test-pin".toCharArray();

    final RegistryConfig config;
    final CentralRegistry registry;
    final RegistryAdmin admin;
    private final HttpClient http = HttpClient.newHttpClient();

    RunningRegistry(Path dir) throws IOException {
        // a port found free can be taken by another socket before the registry binds it: try another
        RegistryConfig made = null;
        CentralRegistry started = null;
        for (int attempt = 1; started == null; attempt++) {
            Path attemptDir = attempt == 1 ? dir : dir.resolveSibling(dir.getFileName() + "-" + attempt);
            made = RegistrySetup.init(attemptDir, "VN", "127.0.0.1", FreePorts.next(), PIN);
            try {
                started = CentralRegistry.start(made, PIN);
            } catch (Exception e) { // Netty rethrows a BindException undeclared
                boolean taken = e instanceof java.net.BindException || e.getCause() instanceof java.net.BindException;
                if (attempt == 3 || !taken) {
                    if (e instanceof RuntimeException r) {
                        throw r;
                    }
                    throw e instanceof IOException io ? io : new IOException(e);
                }
            }
        }
        this.config = made;
        this.registry = started;
        this.admin = RegistryAdmin.open(config);
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> post(String path, byte[] body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(url(path))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    URI url(String path) {
        return config.publicUrl().resolve(path);
    }

    @Override
    public void close() {
        admin.close();
        registry.close();
    }
}
