package vn.truc.server;

import java.nio.file.Path;
import java.time.Duration;
import vn.truc.core.config.Settings;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.message.MessageSignatures;

/**
 * A security server's configuration, {@code server.properties} in its directory, validated at
 * load. {@code conf/server.properties} lists every key with its default.
 *
 * @param address where peers reach this server, {@code host:port}, as published in the global
 *     configuration; the server proxy listens on its port
 * @param confPollInterval how often the global configuration is downloaded
 * @param clientProxyHttpsPort port of the client proxy's HTTPS listener ({@code
 *     client-proxy.https-port}); 0, the default, means no HTTPS listener (unlike {@code
 *     client-proxy.port}, where 0 picks a free port)
 */
public record ServerConfig(
        Path dir,
        SecurityServerId serverId,
        String address,
        Duration confPollInterval,
        String clientProxyHost,
        int clientProxyPort,
        int clientProxyHttpsPort,
        String serverProxyHost,
        Limits limits,
        Timeouts timeouts,
        Duration ocspMaxAge,
        int signingBatchMax,
        String databaseUrl,
        Documents documents,
        Audit audit) {

    public static final String FILE = "server.properties";
    /** Where the client proxy listens unless {@code client-proxy.host} says otherwise. */
    public static final String DEFAULT_CLIENT_PROXY_HOST = "127.0.0.1";

    /** What one message may be; anything larger is refused with a clear error, never truncated. */
    public record Limits(int maxHeaderBytes, long maxBodyBytes, int maxSoapEnvelopeBytes, int maxParts) {}

    /**
     * Store-and-forward delivery of documents.
     *
     * @param maxEdxmlBytes the largest edXML package (it is parsed whole; larger documents go as
     *     metadata and files, which stream up to {@code limits.max-body-bytes})
     * @param retryInitial the wait after a delivery's first failed attempt; it doubles with each one
     * @param retryMax the longest wait between attempts
     * @param giveUpAfter how long after it was sent a document that could not be delivered is given
     *     up (FAILED)
     * @param workers how many deliveries run at once
     * @param webhook where to POST a notice of each received package, or null for none
     */
    public record Documents(
            int maxEdxmlBytes,
            Duration retryInitial,
            Duration retryMax,
            Duration giveUpAfter,
            int workers,
            java.net.URI webhook) {}

    /**
     * The message log's timestamps.
     *
     * @param timestampInterval how often the records logged since the last batch are timestamped
     * @param timestampGrace how long a record may wait for its timestamp (the TSA unreachable)
     *     before traffic stops with {@code timestamp_failed}
     * @param tsa the name of the global configuration's TSA to use; null for its first
     * @param timestampTimeout how long to wait for the TSA's answer
     * @param archiveAfter how old records are before they move to archive files
     * @param archiveDir where the archive files go
     * @param contentCertificate the operator's certificate (PEM) that logged message contents are
     *     sealed for; null when no subsystem's content is logged
     * @param contentDir where logged contents are kept
     */
    public record Audit(
            Duration timestampInterval,
            Duration timestampGrace,
            String tsa,
            Duration timestampTimeout,
            Duration archiveAfter,
            Path archiveDir,
            Path contentCertificate,
            Path contentDir) {}

    /** How long to wait for a peer or a backend before giving up with {@code timeout}. */
    public record Timeouts(Duration connect, Duration peer, Duration backend, Duration idle) {}

    public static ServerConfig load(Path dir) {
        Settings s = Settings.load(dir.resolve(FILE));
        SecurityServerId id = s.parsed(
                "server.id",
                null,
                SecurityServerId::parse,
                "INSTANCE/CLASS/MEMBER/SERVER, e.g. VN/GOV/000.00.00.G22/ss1");
        if (id == null) {
            throw s.invalid("server.id", null, "a security server id; the key is required");
        }
        String address = s.requiredString("server.address");
        if (!isAddress(address)) {
            throw s.invalid("server.address", address, "host:port, e.g. ss1.g22.gov.vn:5500");
        }
        ServerConfig config = new ServerConfig(
                dir,
                id,
                address,
                s.duration(
                        "globalconf.poll-interval",
                        Duration.ofSeconds(60),
                        Duration.ofMillis(200),
                        Duration.ofHours(1)),
                s.string("client-proxy.host", DEFAULT_CLIENT_PROXY_HOST),
                s.port("client-proxy.port", 8080),
                s.port("client-proxy.https-port", 0),
                s.string("server-proxy.host", address.substring(0, address.lastIndexOf(':'))),
                new Limits(
                        s.integer("limits.max-header-bytes", 64 * 1024, 8 * 1024, 1024 * 1024),
                        s.parsed(
                                "limits.max-body-bytes",
                                2L << 30,
                                ServerConfig::positiveLong,
                                "a positive number of bytes"),
                        s.integer("limits.max-soap-envelope-bytes", 32 << 20, 1024, 512 << 20),
                        s.integer("limits.max-parts", 100, 1, 10_000)),
                new Timeouts(
                        s.duration(
                                "timeouts.connect",
                                Duration.ofSeconds(5),
                                Duration.ofMillis(100),
                                Duration.ofMinutes(5)),
                        s.duration(
                                "timeouts.peer", Duration.ofSeconds(120), Duration.ofMillis(100), Duration.ofHours(2)),
                        s.duration(
                                "timeouts.backend",
                                Duration.ofSeconds(60),
                                Duration.ofMillis(100),
                                Duration.ofHours(2)),
                        s.duration(
                                "timeouts.idle", Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofHours(2))),
                s.duration("ocsp.max-age", Duration.ofMinutes(20), Duration.ofSeconds(10), Duration.ofDays(7)),
                s.integer("signing.batch-max", 64, 1, MessageSignatures.MAX_BATCH),
                s.string("database.url", vn.truc.server.store.ServerDatabases.defaultUrl(dir)),
                new Documents(
                        s.integer("documents.max-edxml-bytes", 64 << 20, 1024, 1 << 30),
                        s.duration(
                                "documents.retry.initial-delay",
                                Duration.ofSeconds(2),
                                Duration.ofMillis(10),
                                Duration.ofHours(1)),
                        s.duration(
                                "documents.retry.max-delay",
                                Duration.ofMinutes(10),
                                Duration.ofMillis(10),
                                Duration.ofDays(1)),
                        s.duration(
                                "documents.give-up-after",
                                Duration.ofDays(3),
                                Duration.ofSeconds(1),
                                Duration.ofDays(365)),
                        s.integer("documents.workers", 4, 1, 64),
                        s.parsed("documents.webhook-url", null, ServerConfig::httpUrl, "an http(s) URL")),
                new Audit(
                        s.duration(
                                "audit.timestamp-interval",
                                Duration.ofSeconds(60),
                                Duration.ofMillis(100),
                                Duration.ofHours(24)),
                        s.duration(
                                "audit.timestamp-grace",
                                Duration.ofHours(2),
                                Duration.ofSeconds(1),
                                Duration.ofDays(30)),
                        s.string("audit.tsa", null),
                        s.duration(
                                "audit.timestamp-timeout",
                                Duration.ofSeconds(20),
                                Duration.ofMillis(100),
                                Duration.ofMinutes(10)),
                        s.duration(
                                "audit.archive-after",
                                Duration.ofDays(90),
                                Duration.ofSeconds(1),
                                Duration.ofDays(36500)),
                        dir.resolve(s.string("audit.archive-dir", "archive")),
                        s.parsed("audit.content-certificate", null, dir::resolve, "a path to a PEM certificate"),
                        dir.resolve(s.string("audit.content-dir", "log-content"))));
        s.rejectUnknownKeys();
        if (config.clientProxyHttps() && config.clientProxyHttpsPort() == config.clientProxyPort()) {
            throw s.invalid(
                    "client-proxy.https-port",
                    String.valueOf(config.clientProxyHttpsPort()),
                    "0 (no HTTPS) or a port other than client-proxy.port");
        }
        return config;
    }

    /** Whether {@code address} has the {@code host:port} form peers are given. */
    public static boolean isAddress(String address) {
        return address != null && address.matches("[A-Za-z0-9.-]+:\\d{1,5}");
    }

    /** Whether the client proxy also listens for HTTPS ({@code client-proxy.https-port} above 0). */
    public boolean clientProxyHttps() {
        return clientProxyHttpsPort > 0;
    }

    public int serverProxyPort() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The files of this server's directory. */
    public ServerDir files() {
        return new ServerDir(dir);
    }

    private static java.net.URI httpUrl(String value) {
        java.net.URI uri = java.net.URI.create(value);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(value);
        }
        return uri;
    }

    private static long positiveLong(String value) {
        long parsed = Long.parseLong(value);
        if (parsed <= 0) {
            throw new IllegalArgumentException(value);
        }
        return parsed;
    }
}
