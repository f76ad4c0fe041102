package vn.truc.server;

import java.nio.file.Path;
import java.time.Duration;
import vn.truc.core.config.Settings;
import vn.truc.core.id.SecurityServerId;

/**
 * A security server's configuration, {@code server.properties} in its directory, validated at
 * load.
 *
 * @param address where peers reach this server, {@code host:port}, as published in the global
 *     configuration
 * @param confPollInterval how often the global configuration is downloaded
 */
public record ServerConfig(Path dir, SecurityServerId serverId, String address, Duration confPollInterval) {
    public static final String FILE = "server.properties";

    public static ServerConfig load(Path dir) {
        Settings s = Settings.load(dir.resolve(FILE));
        ServerConfig config = new ServerConfig(
                dir,
                s.parsed(
                        "server.id",
                        null,
                        SecurityServerId::parse,
                        "INSTANCE/CLASS/MEMBER/SERVER, e.g. VN/GOV/000.00.00.G22/ss1"),
                s.requiredString("server.address"),
                s.duration(
                        "globalconf.poll-interval",
                        Duration.ofSeconds(60),
                        Duration.ofMillis(200),
                        Duration.ofHours(1)));
        if (config.serverId == null) {
            throw s.invalid("server.id", null, "a security server id; the key is required");
        }
        if (!isAddress(config.address)) {
            throw s.invalid("server.address", config.address, "host:port, e.g. ss1.g22.gov.vn:5500");
        }
        s.rejectUnknownKeys();
        return config;
    }

    /** Whether {@code address} has the {@code host:port} form peers are given. */
    public static boolean isAddress(String address) {
        return address != null && address.matches("[A-Za-z0-9.-]+:\\d{1,5}");
    }

    public Path anchorFile() {
        return dir.resolve("anchor.xml");
    }

    public Path keysDir() {
        return dir.resolve("keys");
    }

    public Path authKeyFile() {
        return keysDir().resolve("auth.p12");
    }

    public Path signKeyFile() {
        return keysDir().resolve("sign.p12");
    }

    public Path registrationFile() {
        return dir.resolve("registration.json");
    }

    public Path globalConfDir() {
        return dir.resolve("globalconf");
    }
}
