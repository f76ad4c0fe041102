package vn.truc.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.io.AtomicFiles;
import vn.truc.registry.http.RegistryApi;
import vn.truc.registry.http.RegistryHttpServer;
import vn.truc.registry.publish.GlobalConfPublisher;
import vn.truc.registry.store.Registration;
import vn.truc.registry.store.RegistryStore;
import vn.truc.registry.trust.EmbeddedCa;
import vn.truc.registry.trust.OcspResponder;
import vn.truc.registry.trust.TimestampAuthority;

/**
 * A running central registry: database, keys, the global-configuration publisher, the embedded
 * trust services that are switched on, and the HTTP listener that serves them.
 */
public final class CentralRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CentralRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The RFC 3161 policy of the embedded TSA (a private arc; external TSAs have their own). */
    static final String TSA_POLICY = "1.3.6.1.4.1.59999.1.1";

    private final RegistryConfig config;
    private final Database database;
    private final RegistryStore store;
    private final GlobalConfPublisher publisher;
    private final ScheduledExecutorService refresher;
    private final RegistryHttpServer http;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private CentralRegistry(RegistryConfig config, char[] pin, Clock clock) {
        this.config = config;
        RegistryKeys keys = RegistryKeys.load(config.keysDir(), pin);
        this.database =
                Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword(), "registry");
        try {
            this.store = new RegistryStore(database, config.instance());
            this.publisher =
                    new GlobalConfPublisher(store, keys.confSigning().privateKey(), config.confValidity(), clock);
            publisher.refreshIfDue();
            this.http = new RegistryHttpServer(
                    config.bindHost(), config.port(), config.maxRequestBytes(), api(keys, clock));
            // started once the port is ours, so that a registry which cannot listen leaves no thread behind
            this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "globalconf-publisher");
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleWithFixedDelay(this::refreshQuietly, 1, 1, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        LOG.info(
                "central registry of instance {} listening on {}:{} ({})",
                config.instance(),
                config.bindHost(),
                http.port(),
                config.publicUrl());
    }

    /** Starts the registry in {@code dir}, created earlier by {@link RegistrySetup#init}. */
    public static CentralRegistry start(RegistryConfig config, char[] pin) {
        return new CentralRegistry(config, pin, Clock.systemUTC());
    }

    public RegistryConfig config() {
        return config;
    }

    public RegistryStore store() {
        return store;
    }

    public GlobalConfPublisher publisher() {
        return publisher;
    }

    public URI url() {
        return config.publicUrl();
    }

    public int port() {
        return http.port();
    }

    /** Stops the registry; closing twice is harmless. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.close();
        refresher.shutdownNow();
        database.close();
        LOG.info("central registry stopped");
    }

    private void refreshQuietly() {
        try {
            publisher.refreshIfDue();
        } catch (RuntimeException e) {
            LOG.error("cannot publish global configuration: {}", e.toString());
        }
    }

    private RegistryApi api(RegistryKeys keys, Clock clock) {
        Registrations registrations = new Registrations(store, clock);
        byte[] anchor = readAnchor();
        UnaryOperator<byte[]> certificates = null;
        if (config.caEnabled()) {
            EmbeddedCa ca = new EmbeddedCa(
                    keys.ca(),
                    config.ocspEnabled() ? config.ocspUrl().toString() : null,
                    config.certificateValidity(),
                    store::enrolmentTokenHash,
                    cert -> store.recordIssued(cert, "issued"));
            certificates = body -> issue(ca, body);
        }
        UnaryOperator<byte[]> ocsp = null;
        if (config.ocspEnabled()) {
            OcspResponder responder = new OcspResponder(
                    keys.ocsp(), keys.ca().certificate(), store::certificateStatus, java.time.Duration.ofHours(1));
            ocsp = responder::respond;
        }
        UnaryOperator<byte[]> tsa = null;
        if (config.tsaEnabled()) {
            TimestampAuthority authority = new TimestampAuthority(keys.tsa(), TSA_POLICY);
            tsa = authority::respond;
        }
        return new RegistryApi(
                () -> publisher.current().xml(),
                () -> anchor,
                certificates,
                body -> registrationJson(registrations.submit(body)),
                id -> registrationJson(store.registration(id)
                        .orElseThrow(() -> new TrucException(
                                Origin.CLIENT, ErrorCode.UNKNOWN_REQUEST, "no registration request " + id))),
                ocsp,
                tsa,
                () -> json(JSON.createObjectNode()
                        .put("status", "ok")
                        .put("instance", config.instance())
                        .put("globalConfSerial", publisher.current().serial())));
    }

    private byte[] readAnchor() {
        try {
            return Files.readAllBytes(config.anchorFile());
        } catch (IOException e) {
            throw new TrucException(
                    Origin.REGISTRY, ErrorCode.INVALID_CONFIG, "cannot read " + config.anchorFile() + ": " + e);
        }
    }

    private static byte[] issue(EmbeddedCa ca, byte[] body) {
        JsonNode request = readJson(body);
        String usage = field(request, "usage");
        String holder = field(request, "holder");
        String token = field(request, "token");
        String csr = field(request, "csr");
        List<X509Certificate> chain =
                switch (usage) {
                    case "auth" -> ca.issueAuth(csr, SecurityServerId.parse(holder), token);
                    case "sign" -> ca.issueSign(csr, ClientId.parseMember(holder), token);
                    case "encrypt" -> ca.issueEncryption(csr, ClientId.parseMember(holder), token);
                    default ->
                        throw new TrucException(
                                Origin.CLIENT,
                                ErrorCode.INVALID_REQUEST,
                                "usage: '" + usage + "' (expected: auth, sign or encrypt)");
                };
        ObjectNode out = JSON.createObjectNode();
        chain.forEach(c -> out.withArray("chain").add(Certificates.toPem(c)));
        return json(out);
    }

    /** The JSON a security server reads to learn where its registration stands. */
    static byte[] registrationJson(Registration r) {
        ObjectNode node = JSON.createObjectNode()
                .put("id", r.id())
                .put("serverId", r.serverId().toString())
                .put("address", r.address())
                .put("state", r.state().name())
                .put("createdAt", r.createdAt().toString());
        if (r.reason() != null) {
            node.put("reason", r.reason());
        }
        if (r.decidedAt() != null) {
            node.put("decidedAt", r.decidedAt().toString());
        }
        return json(node);
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new TrucException(
                    Origin.CLIENT, ErrorCode.INVALID_REQUEST, "request is not valid JSON: " + e.getMessage());
        }
    }

    private static String field(JsonNode node, String name) {
        JsonNode value = node == null ? null : node.get(name);
        if (value == null || !value.isTextual()) {
            throw new TrucException(
                    Origin.CLIENT, ErrorCode.INVALID_REQUEST, "request lacks text field '" + name + "'");
        }
        return value.asText();
    }

    private static byte[] json(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the anchor for the current signing certificate (done at init). */
    static void writeAnchor(RegistryConfig config, X509Certificate signingCertificate) {
        Anchor anchor = new Anchor(config.instance(), config.publicUrl(), signingCertificate, Instant.now());
        try {
            AtomicFiles.write(config.anchorFile(), anchor.toXml());
        } catch (IOException e) {
            throw new TrucException(
                    Origin.REGISTRY, ErrorCode.INTERNAL_ERROR, "cannot write " + config.anchorFile() + ": " + e);
        }
    }
}
