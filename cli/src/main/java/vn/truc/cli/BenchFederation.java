package vn.truc.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.truc.core.id.ServiceId;
import vn.truc.server.store.AccessSubject;
import vn.truc.server.store.Protocol;
import vn.truc.server.store.ServerStore;

/**
 * What {@code truc bench} drives: a registry (in this process), the security servers of a client
 * agency and a provider agency (and, for documents to ten recipients, nine more), each a
 * {@code truc server start} process with a capped heap, the provider's REST and SOAP echo services
 * on {@link BenchBackend}, granted to the client's subsystem, and a probe on each server.
 */
final class BenchFederation implements AutoCloseable {
    static final String CLIENT = "000.00.00.G22";
    static final String PROVIDER = "000.00.00.H41";
    static final String CLIENT_SUBSYSTEM = "VN/GOV/" + CLIENT + "/DMS";
    static final String REST_SERVICE = "VN/GOV/" + PROVIDER + "/DMS/echo";
    static final String SOAP_SERVICE = "VN/GOV/" + PROVIDER + "/DMS/echoSoap/v1";
    // Peers wait long for a 1 GiB document's answer; the servers poll the registry as rarely as a
    // production server would, so that polling is not what is measured.
    private static final String SERVER_PROPERTIES = "timeouts.peer = 10m\n";
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(60);

    private final ProcessFederation federation;
    private final Path dir;
    private final List<String> codes;
    private final Map<String, BenchProbe> probes = new LinkedHashMap<>();

    private BenchFederation(ProcessFederation federation, Path dir, List<String> codes) {
        this.federation = federation;
        this.dir = dir;
        this.codes = codes;
    }

    /** Sets up and starts the client, the provider and {@code extraRecipients} more agencies, heaps capped at {@code heap}. */
    static BenchFederation start(Path dir, String heap, int extraRecipients, BenchBackend backend) throws Exception {
        List<String> codes = new ArrayList<>(List.of(CLIENT, PROVIDER));
        codes.addAll(extraRecipients(extraRecipients));
        ProcessFederation federation =
                new ProcessFederation(dir, SERVER_PROPERTIES, List.of("-Xmx" + heap), POLL_INTERVAL, codes);
        BenchFederation bench = new BenchFederation(federation, dir, List.copyOf(codes));
        try {
            registerServices(federation.serverDir(PROVIDER), backend);
            federation.startAll(codes);
            for (String code : codes) {
                bench.probes.put(code, BenchProbe.jvm("server " + code, federation.pid(code)));
            }
            return bench;
        } catch (Exception | Error e) {
            bench.close();
            throw e;
        }
    }

    /** The member codes of the agencies beyond the provider that documents go to. */
    static List<String> extraRecipients(int count) {
        List<String> codes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            codes.add(String.format(java.util.Locale.ROOT, "000.00.00.H%02d", i));
        }
        return codes;
    }

    private static void registerServices(Path providerDir, BenchBackend backend) throws IOException {
        ServiceId rest = ServiceId.parse(REST_SERVICE);
        ServiceId soap = ServiceId.parse(SOAP_SERVICE);
        AccessSubject client = AccessSubject.parse(CLIENT_SUBSYSTEM);
        try (ServerStore store = ServerStore.open(providerDir)) {
            store.services().addService(rest, URI.create(backend.base() + BenchBackend.REST_PATH), Protocol.REST);
            store.services().addService(soap, URI.create(backend.base() + BenchBackend.SOAP_PATH), Protocol.SOAP);
            store.accessRules().grant(rest, client);
            store.accessRules().grant(soap, client);
        }
    }

    /** The client proxy of {@code code}'s server, {@code http://127.0.0.1:port}. */
    String clientProxy(String code) {
        return "http://127.0.0.1:" + federation.clientProxyPort(code);
    }

    List<String> codes() {
        return codes;
    }

    /** The probes of the servers of {@code codes}, in that order. */
    List<BenchProbe> probes(List<String> codes) {
        List<BenchProbe> chosen = new ArrayList<>();
        codes.forEach(c -> chosen.add(probes.get(c)));
        return chosen;
    }

    /** The folder the registry's and the servers' folders and logs are in. */
    Path dir() {
        return dir;
    }

    /** True while every server process runs. */
    boolean allAlive() {
        return codes.stream().allMatch(federation::isAlive);
    }

    /** Fails when a server has stopped: a crashed server must not pass for a slow one. */
    void requireAlive() {
        for (String code : codes) {
            if (!federation.isAlive(code)) {
                throw new IllegalStateException(
                        code + "'s server is no longer running; see " + dir.resolve(code + ".log"));
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (BenchProbe probe : probes.values()) {
            probe.close();
        }
        federation.close();
    }
}
