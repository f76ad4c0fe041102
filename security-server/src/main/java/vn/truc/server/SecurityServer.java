package vn.truc.server;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyStores;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.server.audit.Archiver;
import vn.truc.server.audit.AuditExport;
import vn.truc.server.audit.Timestamper;
import vn.truc.server.globalconf.GlobalConfClient;
import vn.truc.server.globalconf.GlobalConfPoller;
import vn.truc.server.proxy.Proxies;
import vn.truc.server.registration.RegistrationState;
import vn.truc.server.registration.RegistryClient;
import vn.truc.server.store.MessageLog;
import vn.truc.server.store.ServerDatabases;
import vn.truc.server.store.ServerStore;
import vn.truc.server.trust.OcspClient;

/**
 * A running security server. This part: keys unlocked with the PIN, the global
 * configuration kept fresh and verified; traffic handlers join in later.
 */
public final class SecurityServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityServer.class);

    private final ServerConfig config;
    private final KeyAndChain authKey;
    private final KeyAndChain signKey;
    private final KeyAndChain encryptKey;
    private final GlobalConfClient globalConf;
    private final GlobalConfPoller poller;
    private final RegistryClient registry;
    private final ServerStore store;
    private final OcspClient ocsp;
    private final Proxies proxies;
    private final Timestamper timestamper;

    private SecurityServer(ServerConfig config, char[] pin) {
        this.config = config;
        this.authKey = KeyStores.load(config.files().authKeyFile(), pin);
        this.signKey = KeyStores.load(config.files().signKeyFile(), pin);
        // a server set up before document exchange has no encryption key: it sends but takes no documents
        this.encryptKey = Files.exists(config.files().encryptKeyFile())
                ? KeyStores.load(config.files().encryptKeyFile(), pin)
                : null;
        KeyAndChain internalTls = InternalTls.loadOrCreate(config, pin);
        Anchor anchor = readAnchor(config.files().anchorFile());
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.registry = new RegistryClient(anchor.registryUrl(), http);
        this.globalConf = new GlobalConfClient(anchor, config.files().globalConfDir(), Clock.systemUTC(), http);
        this.poller = new GlobalConfPoller(globalConf, config.confPollInterval());
        this.store = new ServerStore(ServerDatabases.open(
                config.databaseUrl(), ServerDatabases.DEFAULT_USER, ServerDatabases.DEFAULT_PASSWORD));
        this.ocsp = new OcspClient(http, Clock.systemUTC(), config.ocspMaxAge());
        // a server that fails to start leaves no thread, listener or open database behind
        Timestamper stamper = null;
        try {
            emptySpool(config.files().spoolDir());
            poller.start();
            var audit = config.audit();
            stamper = new Timestamper(
                    store.database(),
                    globalConf::requireValid,
                    http,
                    new Timestamper.Settings(
                            audit.timestampInterval(), audit.timestampGrace(), audit.tsa(), audit.timestampTimeout()),
                    Clock.systemUTC());
            stamper.archiveWith(new Archiver(
                    store.database(),
                    globalConf::requireValid,
                    signKey,
                    config.serverId(),
                    audit.archiveAfter(),
                    audit.archiveDir(),
                    AuditExport.Contents.of(config, null),
                    Clock.systemUTC()));
            stamper.start();
            this.proxies = new Proxies(new Proxies.Parts(
                    config,
                    authKey,
                    signKey,
                    globalConf::requireValid,
                    store,
                    ocsp,
                    Clock.systemUTC(),
                    this::healthJson,
                    internalTls,
                    encryptKey,
                    stamper::requireOpen));
        } catch (RuntimeException e) {
            if (stamper != null) {
                stamper.close();
            }
            poller.close();
            store.close();
            throw e;
        }
        this.timestamper = stamper;
        LOG.info(
                "security server {} started: server proxy on {}, client proxy on {}:{}{}",
                config.serverId(),
                config.address(),
                config.clientProxyHost(),
                proxies.clientProxyPort(),
                config.clientProxyHttps() ? " and HTTPS port " + proxies.clientProxyHttpsPort() : "");
    }

    /** Starts the server in the directory {@code truc server init} prepared; a wrong PIN fails here. */
    public static SecurityServer start(ServerConfig config, char[] pin) {
        return new SecurityServer(config, pin);
    }

    public ServerConfig config() {
        return config;
    }

    public GlobalConfClient globalConf() {
        return globalConf;
    }

    /** Waits until this server holds a valid configuration (listing it or not); false on timeout. */
    public boolean awaitValidConf(Duration timeout) {
        return poller.awaitValid(timeout);
    }

    /** Waits until this server holds a valid configuration that lists it; false on timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (status().ready()) {
                return true;
            }
            Thread.sleep(100);
        }
        return status().ready();
    }

    public ServerStatus status() {
        return statusOf(config, globalConf, registry, authKey.certificate(), signKey.certificate());
    }

    /** Status of a server that may not be running, from its files and the registry. */
    public static ServerStatus readStatus(ServerConfig config) {
        Anchor anchor = readAnchor(config.files().anchorFile());
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        GlobalConfClient client = new GlobalConfClient(anchor, config.files().globalConfDir(), Clock.systemUTC(), http);
        return statusOf(
                config,
                client,
                new RegistryClient(anchor.registryUrl(), http),
                readPem(config.files().authCertificateFile()),
                readPem(config.files().signCertificateFile()));
    }

    private static ServerStatus statusOf(
            ServerConfig config,
            GlobalConfClient client,
            RegistryClient registry,
            X509Certificate auth,
            X509Certificate sign) {
        RegistrationState registration = null;
        String registrationError = null;
        try {
            RegistrationState saved = RegistrationState.load(config.files().registrationFile());
            registration = saved;
            registration = registry.registrationState(saved.id());
            if (!registration.equals(saved)) {
                registration.save(config.files().registrationFile());
            }
        } catch (IOException | TrucException e) {
            registrationError = e instanceof TrucException t ? t.describe() : e.toString();
        }
        String hash = Certificates.sha256Hex(auth);
        boolean listed = client.current()
                .flatMap(conf -> conf.securityServer(config.serverId()))
                .map(s -> s.authCertHashes().contains(hash))
                .orElse(false);
        return new ServerStatus(
                config.serverId(),
                registration,
                registrationError,
                client.status(),
                listed,
                hash,
                auth.getNotAfter().toInstant(),
                sign.getNotAfter().toInstant());
    }

    /** The configuration traffic must use now; refuses with {@code conf_expired} once it expired. */
    public GlobalConf requireValidConf() {
        return globalConf.requireValid();
    }

    public int clientProxyPort() {
        return proxies.clientProxyPort();
    }

    /** The client proxy's HTTPS port, or 0 when it has no HTTPS listener. */
    public int clientProxyHttpsPort() {
        return proxies.clientProxyHttpsPort();
    }

    public ServerStore store() {
        return store;
    }

    /**
     * What the health endpoint reports: configuration validity, key and certificate state, OCSP
     * freshness of the sign certificate, and whether the database answers.
     */
    String healthJson() {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        GlobalConfClient.Status conf = globalConf.status();
        node.putObject("globalConf")
                .put("valid", conf.valid())
                .put("serial", conf.serial())
                .put("expiresAt", String.valueOf(conf.expiresAt()))
                .put("lastError", conf.lastError());
        java.time.Instant now = java.time.Instant.now();
        node.putObject("authCertificate")
                .put("validNow", Certificates.isValidAt(authKey.certificate(), now))
                .put(
                        "expiresAt",
                        authKey.certificate().getNotAfter().toInstant().toString());
        node.putObject("signCertificate")
                .put("validNow", Certificates.isValidAt(signKey.certificate(), now))
                .put(
                        "expiresAt",
                        signKey.certificate().getNotAfter().toInstant().toString());
        String ocspState;
        boolean ocspOk;
        try {
            GlobalConf current = globalConf.requireValid();
            var ca = current.certificationAuthorities().stream()
                    .filter(c -> c.certificate()
                            .getSubjectX500Principal()
                            .equals(signKey.certificate().getIssuerX500Principal()))
                    .findFirst()
                    .orElseThrow();
            var status = ocsp.fetch(signKey.certificate(), ca.certificate(), java.net.URI.create(ca.ocspUrl()));
            ocspState = "good, produced " + status.thisUpdate();
            ocspOk = true;
        } catch (RuntimeException e) {
            ocspState = e instanceof TrucException t ? t.describe() : e.toString();
            ocspOk = false;
        }
        node.putObject("ocsp").put("ok", ocspOk).put("detail", ocspState);
        boolean dbOk;
        try {
            store.database().query("SELECT 1", r -> r.getInt(1));
            dbOk = true;
        } catch (RuntimeException e) {
            dbOk = false;
        }
        node.putObject("database").put("ok", dbOk);
        Timestamper.Status audit = timestamper.status();
        boolean auditOk;
        try {
            timestamper.requireOpen();
            auditOk = true;
        } catch (TrucException e) {
            auditOk = false;
        }
        var auditNode = node.putObject("audit")
                .put("ok", auditOk)
                .put("pendingRecords", audit.pending())
                .put("oldestPending", String.valueOf(audit.oldestPending()))
                .put("lastTimestampAt", String.valueOf(audit.lastBatchAt()))
                .put("tsa", audit.lastTsa());
        if (audit.lastError() != null) {
            auditNode.put("lastError", audit.lastError());
        }
        node.put("ok", conf.valid() && ocspOk && dbOk && auditOk && Certificates.isValidAt(signKey.certificate(), now));
        return node.toString();
    }

    private static void emptySpool(Path dir) {
        try (var files = Files.exists(dir) ? Files.list(dir) : java.util.stream.Stream.<Path>empty()) {
            files.forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot empty spool directory {}: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        proxies.close();
        timestamper.close();
        MessageLog.AppendCounts logged = store.messageLog().appendCounts();
        LOG.info(
                "message log: appended {} records in {} transactions (grouped under load)",
                logged.records(),
                logged.transactions());
        store.close();
        poller.close();
        LOG.info("security server {} stopped", config.serverId());
    }

    static Anchor readAnchor(Path file) {
        try {
            return Anchor.fromXml(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new TrucException(Origin.SERVER, ErrorCode.INVALID_CONFIG, "cannot read anchor " + file + ": " + e);
        }
    }

    private static X509Certificate readPem(Path file) {
        try {
            return Certificates.fromPem(Files.readString(file));
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INVALID_CONFIG, "cannot read certificate " + file + ": " + e);
        }
    }
}
