package vn.truc.registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import vn.truc.core.config.Settings;

/**
 * The registry's configuration, {@code registry.properties} in its directory, validated at load.
 *
 * @param confValidity how long a published global configuration stays valid; a new one is
 *     signed when half of it has passed, so servers always hold a copy well before expiry
 */
public record RegistryConfig(
        Path dir,
        String instance,
        String bindHost,
        int port,
        URI publicUrl,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        Duration confValidity,
        boolean caEnabled,
        boolean ocspEnabled,
        boolean tsaEnabled,
        Duration certificateValidity,
        int maxRequestBytes) {

    public static final String FILE = "registry.properties";

    public static RegistryConfig load(Path dir) {
        Settings s = Settings.load(dir.resolve(FILE));
        String instance = s.requiredString("instance");
        String host = s.string("http.host", "127.0.0.1");
        int port = s.port("http.port", 4000);
        RegistryConfig config = new RegistryConfig(
                dir,
                instance,
                host,
                port,
                s.url("public.url", URI.create("http://" + host + ":" + port + "/")),
                s.string(
                        "database.url",
                        "jdbc:h2:file:" + dir.toAbsolutePath().resolve("db/registry")
                                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0"),
                s.string("database.user", "sa"),
                s.string("database.password", ""),
                s.duration("globalconf.validity", Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofDays(7)),
                s.bool("ca.enabled", true),
                s.bool("ocsp.enabled", true),
                s.bool("tsa.enabled", true),
                s.duration(
                        "ca.certificate-validity", Duration.ofDays(730), Duration.ofMinutes(1), Duration.ofDays(3650)),
                s.integer("http.max-request-bytes", 1 << 20, 1024, 64 << 20));
        s.rejectUnknownKeys();
        if (!config.publicUrl.getPath().endsWith("/")) {
            throw s.invalid("public.url", config.publicUrl.toString(), "a URL ending with /");
        }
        return config;
    }

    public Path keysDir() {
        return dir.resolve("keys");
    }

    public Path anchorFile() {
        return dir.resolve("anchor.xml");
    }

    public Path confSigningCertificateFile() {
        return dir.resolve("conf-signing.pem");
    }

    public Path caCertificateFile() {
        return dir.resolve("ca.pem");
    }

    public URI ocspUrl() {
        return publicUrl.resolve("ocsp");
    }

    public URI tsaUrl() {
        return publicUrl.resolve("tsa");
    }
}
