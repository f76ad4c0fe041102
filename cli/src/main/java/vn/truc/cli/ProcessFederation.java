package vn.truc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.net.FreePorts;
import vn.truc.registry.CentralRegistry;
import vn.truc.registry.RegistryAdmin;
import vn.truc.registry.RegistryConfig;
import vn.truc.registry.RegistrySetup;
import vn.truc.server.ServerConfig;
import vn.truc.server.ServerSetup;

/**
 * A registry in this JVM and agencies' security servers each in a process of its own, started with
 * {@code truc server start} as an operator would, so a test or {@code truc bench} can cap their
 * heaps, measure them, or kill them with SIGKILL. Every member has one subsystem, DMS, which takes
 * its documents.
 */
final class ProcessFederation implements AutoCloseable {
    static final char[] PIN = "1234".toCharArray();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final CentralRegistry registry;
    private final RegistryAdmin admin;
    private final Map<String, Integer> clientProxyPorts = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final List<String> jvmOptions;

    /** Sets up (but does not start) a server per member code, with {@code serverProperties} appended. */
    ProcessFederation(Path dir, String serverProperties, List<String> jvmOptions, String... memberCodes)
            throws IOException {
        this(dir, serverProperties, jvmOptions, Duration.ofMillis(500), List.of(memberCodes));
    }

    /** As above, with the servers polling the registry every {@code pollInterval}. */
    ProcessFederation(
            Path dir, String serverProperties, List<String> jvmOptions, Duration pollInterval, List<String> memberCodes)
            throws IOException {
        this.dir = dir;
        this.jvmOptions = List.copyOf(jvmOptions);
        RegistryConfig config = RegistrySetup.init(dir.resolve("registry"), "VN", "127.0.0.1", FreePorts.next(), PIN);
        this.registry = CentralRegistry.start(config, PIN);
        this.admin = RegistryAdmin.open(config);
        for (String code : memberCodes) {
            ClientId member = ClientId.member("VN", "GOV", code);
            String token = admin.addMember(member, "Agency " + code);
            admin.addSubsystem(member.subsystem("DMS"));
            admin.setDocumentSubsystem(member.subsystem("DMS"));
            int clientProxy = FreePorts.next();
            var state = ServerSetup.init(
                    new ServerSetup.InitRequest(
                            serverDir(code),
                            config.anchorFile(),
                            new SecurityServerId(member, "ss1"),
                            "127.0.0.1:" + FreePorts.next(),
                            token,
                            pollInterval,
                            clientProxy),
                    PIN);
            admin.approve(state.id());
            Files.writeString(serverDir(code).resolve(ServerConfig.FILE), serverProperties, StandardOpenOption.APPEND);
            clientProxyPorts.put(code, clientProxy);
        }
    }

    Path serverDir(String code) {
        return dir.resolve("server-" + code);
    }

    int clientProxyPort(String code) {
        return clientProxyPorts.get(code);
    }

    /** Starts {@code truc server start} for {@code code} and waits until its health page says ok. */
    void start(String code) throws Exception {
        awaitHealthy(code, launch(code));
    }

    /** Starts every server in {@code codes} at once, then waits until each health page says ok. */
    void startAll(List<String> codes) throws Exception {
        Map<String, Process> started = new LinkedHashMap<>();
        for (String code : codes) {
            started.put(code, launch(code));
        }
        for (var entry : started.entrySet()) {
            awaitHealthy(entry.getKey(), entry.getValue());
        }
    }

    /** The operating system's id of {@code code}'s running server process. */
    long pid(String code) {
        return processes.get(code).pid();
    }

    private Process launch(String code) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "server",
                "start",
                "--dir",
                serverDir(code).toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("TRUC_PIN", new String(PIN));
        builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve(code + ".log").toFile()));
        Process process = builder.start();
        processes.put(code, process);
        return process;
    }

    /** Kills {@code code}'s server as {@code kill -9} would: no shutdown hook, no flush, nothing. */
    void kill(String code) throws InterruptedException {
        Process process = processes.remove(code);
        process.destroyForcibly();
        process.waitFor();
    }

    boolean isAlive(String code) {
        Process process = processes.get(code);
        return process != null && process.isAlive();
    }

    private void awaitHealthy(String code, Process process) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        code + "'s server exited with " + process.exitValue() + "; see " + dir.resolve(code + ".log"));
            }
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clientProxyPort(code) + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (JSON.readTree(health.body()).path("ok").asBoolean()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(code + "'s server not healthy in 90 s; see " + dir.resolve(code + ".log"));
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
            p.waitFor();
        }
        admin.close();
        registry.close();
    }
}
