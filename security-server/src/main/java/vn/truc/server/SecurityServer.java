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
import vn.truc.server.globalconf.GlobalConfClient;
import vn.truc.server.globalconf.GlobalConfPoller;
import vn.truc.server.registration.RegistrationState;
import vn.truc.server.registration.RegistryClient;

/**
 * A running security server. This part: keys unlocked with the PIN, the global
 * configuration kept fresh and verified; traffic handlers join in later.
 */
public final class SecurityServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityServer.class);

    private final ServerConfig config;
    private final KeyAndChain authKey;
    private final KeyAndChain signKey;
    private final GlobalConfClient globalConf;
    private final GlobalConfPoller poller;
    private final RegistryClient registry;

    private SecurityServer(ServerConfig config, char[] pin) {
        this.config = config;
        this.authKey = KeyStores.load(config.authKeyFile(), pin);
        this.signKey = KeyStores.load(config.signKeyFile(), pin);
        Anchor anchor = readAnchor(config.anchorFile());
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.registry = new RegistryClient(anchor.registryUrl(), http);
        this.globalConf = new GlobalConfClient(anchor, config.globalConfDir(), Clock.systemUTC(), http);
        this.poller = new GlobalConfPoller(globalConf, config.confPollInterval());
        poller.start();
        LOG.info("security server {} started (address {})", config.serverId(), config.address());
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
        Anchor anchor = readAnchor(config.anchorFile());
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        GlobalConfClient client = new GlobalConfClient(anchor, config.globalConfDir(), Clock.systemUTC(), http);
        return statusOf(
                config,
                client,
                new RegistryClient(anchor.registryUrl(), http),
                readPem(config.keysDir().resolve("auth.pem")),
                readPem(config.keysDir().resolve("sign.pem")));
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
            RegistrationState saved = RegistrationState.load(config.registrationFile());
            registration = saved;
            registration = registry.registrationState(saved.id());
            if (!registration.equals(saved)) {
                registration.save(config.registrationFile());
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

    @Override
    public void close() {
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
