package vn.truc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyStores;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.globalconf.SignedGlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.net.FreePorts;
import vn.truc.core.testing.Threads;
import vn.truc.registry.CentralRegistry;
import vn.truc.registry.RegistryAdmin;
import vn.truc.registry.RegistryConfig;
import vn.truc.registry.RegistrySetup;
import vn.truc.server.registration.RegistrationState;

/** A real registry and a real security server on loopback, from init to traffic refused on expiry. */
class SecurityServerIT {
    private static final char[] PIN = "1234".toCharArray();
    private static final ClientId G22 = ClientId.member("VN", "GOV", "000.00.00.G22");
    private static final SecurityServerId SS1 = new SecurityServerId(G22, "ss1");
    /** Short, so that the expiry test waits seconds, not minutes. */
    private static final Duration VALIDITY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private RegistryConfig registryConfig;
    private CentralRegistry registry;
    private RegistryAdmin admin;
    private String token;

    @BeforeEach
    void startRegistry() throws IOException {
        RegistryConfig created = RegistrySetup.init(dir.resolve("registry"), "VN", "127.0.0.1", FreePorts.next(), PIN);
        Files.writeString(
                created.dir().resolve(RegistryConfig.FILE),
                "globalconf.validity = " + VALIDITY.toSeconds() + "s\n",
                java.nio.file.StandardOpenOption.APPEND);
        registryConfig = RegistryConfig.load(created.dir());
        registry = CentralRegistry.start(registryConfig, PIN);
        admin = RegistryAdmin.open(registryConfig);
        token = admin.addMember(G22, "Văn phòng Chính phủ");
    }

    @AfterEach
    void stopRegistry() {
        admin.close();
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void becomesReadyOnlyAfterApprovalAndKeepsAVerifiedCopy() throws Exception {
        RegistrationState state = init(SS1, token);
        assertThat(state.state()).isEqualTo("PENDING");

        try (SecurityServer server = SecurityServer.start(ServerConfig.load(serverDir()), PIN)) {
            assertThat(server.awaitValidConf(Duration.ofSeconds(20))).isTrue();
            assertThat(server.status().listedInGlobalConf())
                    .as("pending servers are not published")
                    .isFalse();
            assertThat(server.status().ready()).isFalse();

            admin.approve(state.id());

            assertThat(server.awaitReady(Duration.ofSeconds(20))).isTrue();
            ServerStatus status = server.status();
            assertThat(status.registration().state()).isEqualTo("APPROVED");
            Anchor anchor = Anchor.fromXml(Files.readAllBytes(registryConfig.anchorFile()));
            byte[] copy = Files.readAllBytes(server.globalConf().file());
            assertThat(SignedGlobalConf.verify(copy, anchor).securityServer(SS1))
                    .isPresent();
        }
    }

    @Test
    void initKeepsAnEncryptionKeyWhoseCertificateIsPublishedForTheOwnerOnceApproved() throws Exception {
        admin.addSubsystem(G22.subsystem("DMS"));
        admin.setDocumentSubsystem(G22.subsystem("DMS"));
        RegistrationState state = init(SS1, token);
        ServerDir files = new ServerDir(serverDir());
        X509Certificate certificate = Certificates.fromPem(Files.readString(files.encryptCertificateFile()));
        KeyAndChain key = KeyStores.load(files.encryptKeyFile(), PIN);
        GlobalConf.Member pending = publishedMember();

        admin.approve(state.id());
        GlobalConf.Member approved = publishedMember();

        assertThat(key.certificate()).isEqualTo(certificate);
        assertThat(Certificates.subjectSerialNumber(certificate)).contains(G22.toString());
        assertThat(certificate.getKeyUsage()[2]).as("keyEncipherment").isTrue();
        assertThat(certificate)
                .isNotEqualTo(KeyStores.load(files.signKeyFile(), PIN).certificate());
        assertThatThrownBy(() -> KeyStores.load(files.encryptKeyFile(), "0000".toCharArray()))
                .as("PIN-protected")
                .isInstanceOf(TrucException.class);
        assertThat(pending.encryptionCertificates()).isEmpty();
        assertThat(pending.acceptsDocuments()).isFalse();
        assertThat(approved.encryptionCertificates()).containsExactly(certificate);
        assertThat(approved.documentSubsystem()).isEqualTo("DMS");
        assertThat(approved.acceptsDocuments()).isTrue();
    }

    @Test
    void refusesTrafficWithConfExpiredOnceItsCopyExpires() throws Exception {
        admin.approve(init(SS1, token).id());
        try (SecurityServer server = SecurityServer.start(ServerConfig.load(serverDir()), PIN)) {
            assertThat(server.awaitReady(Duration.ofSeconds(20))).isTrue();
            Instant expiry = server.requireValidConf().expiresAt();

            registry.close();
            registry = null;
            while (Instant.now().isBefore(expiry.plusMillis(500))) {
                Thread.sleep(200);
            }

            assertThatThrownBy(server::requireValidConf)
                    .isInstanceOf(TrucException.class)
                    .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.CONF_EXPIRED));
            assertThat(server.status().globalConf().valid()).isFalse();
            assertThat(server.status().ready()).isFalse();
        }
    }

    @Test
    void wrongPinIsRefusedAtStart() throws Exception {
        init(SS1, token);
        assertThatThrownBy(() -> SecurityServer.start(ServerConfig.load(serverDir()), "0000".toCharArray()))
                .isInstanceOf(TrucException.class)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.BAD_PIN));
    }

    @Test
    void aServerWhosePortIsTakenSaysWhichAndLeavesNoThreadRunning() throws Exception {
        admin.approve(init(SS1, token).id());
        ServerConfig config = ServerConfig.load(serverDir());
        Set<Thread> before = Threads.now();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(config.clientProxyHost(), config.clientProxyPort()));

            assertThatThrownBy(() -> SecurityServer.start(config, PIN))
                    .isInstanceOf(TrucException.class)
                    .hasMessageContaining(
                            "cannot listen on " + config.clientProxyHost() + ":" + config.clientProxyPort())
                    .hasMessageContaining("Address already in use");
        }
        // the JDK's HTTP client keeps its selector thread until it is collected, and the registry
        // starts its threads as connections come; everything else must stop
        assertThat(Threads.leftRunningSince(before, "HttpClient-", "registry-"))
                .as("threads the failed start left running")
                .isEmpty();

        try (SecurityServer server = SecurityServer.start(config, PIN)) {
            assertThat(server.awaitReady(Duration.ofSeconds(20))).isTrue();
        }
    }

    @Test
    void wrongTokenLeavesNothingThatBlocksAnotherTry() throws Exception {
        assertThatThrownBy(() -> init(SS1, "wrong"))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("enrolment token is not valid")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.ACCESS_DENIED));
        assertThat(serverDir().resolve(ServerConfig.FILE)).doesNotExist();

        assertThat(init(SS1, token).state()).isEqualTo("PENDING");
    }

    @Test
    void refusesAServerOfAnotherInstanceAndABadAddress() {
        assertThatThrownBy(
                        () -> init(new SecurityServerId(ClientId.member("LA", "GOV", "000.00.00.G22"), "ss1"), token))
                .hasMessageContaining("not of the anchor's instance VN");
        assertThatThrownBy(() -> ServerSetup.init(
                        new ServerSetup.InitRequest(
                                serverDir(),
                                registryConfig.anchorFile(),
                                SS1,
                                "no port",
                                token,
                                Duration.ofSeconds(1),
                                8080),
                        PIN))
                .hasMessageContaining("expected: host:port");
    }

    private RegistrationState init(SecurityServerId id, String enrolmentToken) throws IOException {
        return ServerSetup.init(
                new ServerSetup.InitRequest(
                        serverDir(),
                        registryConfig.anchorFile(),
                        id,
                        "127.0.0.1:" + FreePorts.next(),
                        enrolmentToken,
                        Duration.ofMillis(300),
                        FreePorts.next()),
                PIN);
    }

    private GlobalConf.Member publishedMember() throws IOException {
        Anchor anchor = Anchor.fromXml(Files.readAllBytes(registryConfig.anchorFile()));
        return SignedGlobalConf.verify(registry.publisher().current().xml(), anchor)
                .member(G22)
                .orElseThrow();
    }

    private Path serverDir() {
        return dir.resolve("server");
    }
}
