package vn.truc.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.net.FreePorts;
import vn.truc.registry.CentralRegistry;
import vn.truc.registry.RegistryAdmin;
import vn.truc.registry.RegistryConfig;
import vn.truc.registry.RegistrySetup;

/**
 * A real registry and real security servers of several agencies on loopback, for integration
 * tests. Every member has one subsystem, DMS, which receives its documents.
 */
final class Federation implements AutoCloseable {
    static final char[] PIN = "1234".toCharArray();

    final Path dir;
    final RegistryConfig registryConfig;
    final CentralRegistry registry;
    final RegistryAdmin admin;
    final Map<String, SecurityServer> servers = new LinkedHashMap<>();
    final Map<String, String> tokens = new LinkedHashMap<>();

    /**
     * {@code registryProperties} and {@code serverProperties} are appended to the registry's and
     * every server's configuration before they start.
     */
    Federation(Path dir, String registryProperties, String serverProperties, List<String> memberCodes)
            throws Exception {
        this(dir, registryProperties, code -> serverProperties, memberCodes);
    }

    /** As above, with each server's extra configuration by member code (e.g. its own HTTPS port). */
    Federation(Path dir, String registryProperties, Function<String, String> serverProperties, List<String> memberCodes)
            throws Exception {
        this.dir = dir;
        RegistryConfig created = RegistrySetup.init(dir.resolve("registry"), "VN", "127.0.0.1", FreePorts.next(), PIN);
        java.nio.file.Files.writeString(
                created.dir().resolve(RegistryConfig.FILE),
                registryProperties,
                java.nio.file.StandardOpenOption.APPEND);
        this.registryConfig = RegistryConfig.load(created.dir());
        this.registry = CentralRegistry.start(registryConfig, PIN);
        // a server that fails to start must not leave the ones before it running (and polling)
        try {
            this.admin = RegistryAdmin.open(registryConfig);
            for (String code : memberCodes) {
                ClientId member = ClientId.member("VN", "GOV", code);
                String token = admin.addMember(member, "Agency " + code);
                tokens.put(code, token);
                admin.addSubsystem(member.subsystem("DMS"));
                admin.setDocumentSubsystem(member.subsystem("DMS"));
                var state = ServerSetup.init(
                        new ServerSetup.InitRequest(
                                serverDir(code),
                                registryConfig.anchorFile(),
                                new SecurityServerId(member, "ss1"),
                                "127.0.0.1:" + FreePorts.next(),
                                token,
                                Duration.ofMillis(500),
                                FreePorts.next()),
                        PIN);
                admin.approve(state.id());
            }
            for (String code : memberCodes) {
                java.nio.file.Files.writeString(
                        serverDir(code).resolve(ServerConfig.FILE),
                        serverProperties.apply(code),
                        java.nio.file.StandardOpenOption.APPEND);
                SecurityServer server = SecurityServer.start(ServerConfig.load(serverDir(code)), PIN);
                servers.put(code, server);
            }
            for (SecurityServer server : servers.values()) {
                if (!server.awaitReady(Duration.ofSeconds(30))) {
                    throw new IllegalStateException(server.config().serverId() + " not ready: " + server.status());
                }
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    SecurityServer server(String memberCode) {
        return servers.get(memberCode);
    }

    Path serverDir(String memberCode) {
        return dir.resolve("server-" + memberCode);
    }

    @Override
    public void close() {
        servers.values().forEach(SecurityServer::close);
        if (admin != null) {
            admin.close();
        }
        registry.close();
    }
}
