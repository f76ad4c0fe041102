package vn.truc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code truc bench}: brings up a federation on loopback (a registry, security servers as
 * processes of their own with capped heaps, a backend service), drives it at fixed concurrency for
 * a time or a number of requests, and reports throughput, latency, errors and what each server
 * process used, beside the same load sent straight to the backend and through a two-hop nginx
 * mutual-TLS relay.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Bring up a registry and security servers on loopback and measure them under load, beside baselines",
            "measured in the same run: the backend alone (direct) and a two-hop stock nginx mutual-TLS relay (nginx).",
            "Exit 0 when no call failed, 1 when some did."
        })
final class BenchCommand implements Callable<Integer> {
    private static final List<String> SCENARIOS = List.of("rest", "soap", "documents", "large");
    private static final List<String> BASELINES = List.of("direct", "nginx");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--scenario",
            split = ",",
            defaultValue = "rest",
            description = "rest, soap, documents, large (comma-separated; default: ${DEFAULT-VALUE})")
    List<String> scenarios;

    @Option(
            names = "--baselines",
            split = ",",
            defaultValue = "direct,nginx",
            description = "For rest and soap: direct, nginx, or none (default: ${DEFAULT-VALUE})")
    List<String> baselines;

    @Option(
            names = "--clients",
            split = ",",
            defaultValue = "1,16,64",
            description = "Concurrent clients, one run per count (default: ${DEFAULT-VALUE})")
    List<Integer> clients;

    @Option(
            names = "--duration",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How long each run lasts, e.g. 10s, 500ms, 2m (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(
            names = "--requests",
            defaultValue = "0",
            description = "Calls per run, in all clients together; replaces --duration when above 0")
    long requests;

    @Option(
            names = "--warmup",
            defaultValue = "3s",
            converter = DurationConverter.class,
            description = "Unmeasured load before each run, at the same concurrency (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(
            names = "--warm-servers",
            defaultValue = "0s",
            converter = DurationConverter.class,
            description = "Unmeasured REST load through the servers once, before the first run, so that the"
                    + " JIT has compiled their hot paths (about 4-5 minutes of load on 2 cores; default:"
                    + " ${DEFAULT-VALUE})")
    Duration warmServers;

    @Option(
            names = "--heap",
            defaultValue = "256m",
            description = "Each security server's heap cap, as for -Xmx (default: ${DEFAULT-VALUE})")
    String heap;

    @Option(
            names = "--recipients",
            split = ",",
            defaultValue = "1,10",
            description = "documents: the numbers of recipients, one server each (default: ${DEFAULT-VALUE})")
    List<Integer> recipients;

    @Option(
            names = "--document-bytes",
            defaultValue = "102400",
            description = "documents: size of each document's file (default: ${DEFAULT-VALUE})")
    int documentBytes;

    @Option(
            names = "--large-bytes",
            defaultValue = "1073741824",
            description = "large: size of the one document (default: ${DEFAULT-VALUE}, 1 GiB)")
    long largeBytes;

    @Option(
            names = "--drain-timeout",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description = "documents, large: how long to wait for every receipt (default: ${DEFAULT-VALUE})")
    Duration drainTimeout;

    @Option(names = "--dir", description = "Folder for the federation (default: a new temporary folder)")
    Path dir;

    @Option(names = "--out", description = "Also write the results as JSON to this file")
    Path out;

    @Option(names = "--verbose", description = "Log what the registry does in this process (to standard error)")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        validate();
        if (!verbose) {
            DemoCommand.quietLogs();
        }
        Path folder = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("truc-bench-");
        var text = spec.commandLine().getOut();
        text.println("truc bench in " + folder.toAbsolutePath() + " (server logs there)");
        text.flush();
        BenchReport report = new BenchReport(text, settings());
        int extra = scenarios.contains("documents")
                ? Math.max(
                        0, recipients.stream().mapToInt(Integer::intValue).max().orElse(1) - 1)
                : 0;
        boolean sync = scenarios.contains("rest") || scenarios.contains("soap");
        BenchProbe self = BenchProbe.self("driver (clients, backend, registry)");
        try (BenchBackend backend = new BenchBackend(Math.max(64, max(clients) * 2));
                BenchFederation federation = BenchFederation.start(folder.resolve("federation"), heap, extra, backend);
                Relay relay = sync && baselines.contains("nginx")
                        ? new Relay(NginxRelay.start(folder.resolve("nginx"), backend.port()))
                        : new Relay(null)) {
            if (!warmServers.isZero()) {
                warmServers(report, federation, text);
            }
            for (String scenario : scenarios) {
                switch (scenario) {
                    case "rest", "soap" -> synchronous(report, scenario, federation, backend, relay.relay, self);
                    case "documents" -> documents(report, federation, self);
                    default -> large(report, federation, self);
                }
            }
        } finally {
            report.close(out);
        }
        return report.errors() == 0 ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    /** Drives the servers with REST calls at the highest concurrency asked for, measuring nothing. */
    private void warmServers(BenchReport report, BenchFederation federation, java.io.PrintWriter text)
            throws InterruptedException {
        text.println("warming the servers: " + warmServers.toSeconds() + " s of REST load at " + max(clients)
                + " clients, not measured");
        text.flush();
        BenchLoad.Result warm = BenchLoad.run(
                max(clients),
                warmServers,
                0,
                new BenchCalls().restThroughTruc(federation.clientProxy(BenchFederation.CLIENT)));
        federation.requireAlive();
        report.warmedUp(warm);
    }

    private void synchronous(
            BenchReport report,
            String scenario,
            BenchFederation federation,
            BenchBackend backend,
            NginxRelay relay,
            BenchProbe self)
            throws Exception {
        BenchCalls calls = new BenchCalls();
        boolean rest = scenario.equals("rest");
        String clientProxy = federation.clientProxy(BenchFederation.CLIENT);
        List<BenchProbe> servers = federation.probes(List.of(BenchFederation.CLIENT, BenchFederation.PROVIDER));
        List<BenchProbe> nginx = relay == null
                ? List.of()
                : List.of(
                        BenchProbe.process("nginx relay A", relay.pidA()),
                        BenchProbe.process("nginx relay B", relay.pidB()));
        for (int n : clients) {
            // the targets take turns at each concurrency, so a change in the machine's load hits all alike
            measure(
                    report.row(scenario, "truc", n),
                    report,
                    n,
                    servers,
                    self,
                    rest ? calls.restThroughTruc(clientProxy) : calls.soapThroughTruc(clientProxy));
            federation.requireAlive();
            if (baselines.contains("direct")) {
                measure(
                        report.row(scenario, "direct", n),
                        report,
                        n,
                        List.of(),
                        self,
                        rest ? calls.restDirect(backend.base()) : calls.soapDirect(backend.base()));
            }
            if (relay != null) {
                measure(
                        report.row(scenario, "nginx", n),
                        report,
                        n,
                        nginx,
                        self,
                        rest ? calls.restDirect(relay.base()) : calls.soapDirect(relay.base()));
            }
        }
    }

    private void measure(
            ObjectNode row, BenchReport report, int n, List<BenchProbe> probes, BenchProbe self, BenchLoad.Call call)
            throws InterruptedException {
        if (!warmup.isZero()) {
            BenchLoad.run(n, warmup, 0, call);
        }
        List<BenchProbe> all = with(probes, self);
        all.forEach(BenchProbe::reset);
        BenchReport.putLoad(row, BenchLoad.run(n, duration, requests, call));
        report.finish(row, all.stream().map(BenchProbe::sample).toList());
    }

    private void documents(BenchReport report, BenchFederation federation, BenchProbe self) throws Exception {
        BenchDocuments documents = new BenchDocuments(federation.clientProxy(BenchFederation.CLIENT));
        byte[] file = BenchDocuments.pattern(documentBytes);
        for (int r : recipients) {
            List<String> to = new ArrayList<>(List.of(BenchFederation.PROVIDER));
            to.addAll(BenchFederation.extraRecipients(r - 1));
            List<String> involved = new ArrayList<>(List.of(BenchFederation.CLIENT));
            involved.addAll(to);
            List<BenchProbe> all = with(federation.probes(involved), self);
            for (int n : clients) {
                if (!warmup.isZero()) {
                    Queue<Long> ids = BenchDocuments.newIds();
                    BenchLoad.run(n, warmup, 0, documents.sender(file, to, ids));
                    documents.awaitDelivered(BenchDocuments.drain(ids), drainTimeout);
                }
                ObjectNode row = report.row("documents-" + r, "truc", n);
                all.forEach(BenchProbe::reset);
                Queue<Long> ids = BenchDocuments.newIds();
                Instant start = Instant.now();
                BenchLoad.Result sent = BenchLoad.run(n, duration, requests, documents.sender(file, to, ids));
                BenchDocuments.Delivered delivered = documents.awaitDelivered(BenchDocuments.drain(ids), drainTimeout);
                BenchReport.putLoad(row, sent);
                putDelivered(row, r, start, sent, delivered);
                federation.requireAlive();
                report.finish(row, all.stream().map(BenchProbe::sample).toList());
            }
        }
    }

    private void putDelivered(
            ObjectNode row, int r, Instant start, BenchLoad.Result sent, BenchDocuments.Delivered delivered) {
        double seconds = delivered.lastDeliveredAt() == null
                ? 0
                : Duration.between(start, delivered.lastDeliveredAt()).toNanos() / 1e9;
        row.put("recipients", r);
        row.put("documentBytes", documentBytes);
        row.put("accepted", sent.requests() - sent.errors());
        row.put("acceptedPerSecond", BenchReport.round(sent.perSecond()));
        row.put("deliveries", delivered.deliveries());
        row.put("deliveredWithReceipt", delivered.withReceipt());
        row.put("undelivered", delivered.pending());
        row.put("deliveredSeconds", BenchReport.round(seconds));
        row.put("receiptsPerSecond", seconds == 0 ? 0 : BenchReport.round(delivered.withReceipt() / seconds));
        row.put(
                "documentsDeliveredPerSecond",
                seconds == 0 ? 0 : BenchReport.round(delivered.withReceipt() / (double) r / seconds));
        row.put("errors", sent.errors() + delivered.pending());
    }

    private void large(BenchReport report, BenchFederation federation, BenchProbe self) throws Exception {
        // the sender keeps the package and its encryption, the recipient the envelope, the
        // decrypted package and its file: about six copies on disk at once
        long free = Files.getFileStore(federation.dir()).getUsableSpace();
        if (free < 7 * largeBytes) {
            throw new IllegalStateException(
                    "large: needs about " + 7 * largeBytes + " bytes of free disk, " + free + " are free");
        }
        BenchDocuments documents = new BenchDocuments(federation.clientProxy(BenchFederation.CLIENT));
        List<BenchProbe> all = with(federation.probes(List.of(BenchFederation.CLIENT, BenchFederation.PROVIDER)), self);
        ObjectNode row = report.row("large", "truc", 1);
        all.forEach(BenchProbe::reset);
        long t0 = System.nanoTime();
        Instant start = Instant.now();
        long id = documents.sendLarge(largeBytes, BenchFederation.PROVIDER);
        double acceptSeconds = (System.nanoTime() - t0) / 1e9;
        JsonNode entry = documents.entry(id);
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (!BenchDocuments.settled(entry) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            entry = documents.entry(id);
        }
        JsonNode delivery = entry.at("/deliveries/0");
        boolean delivered = "delivered".equals(delivery.path("state").asText()) && delivery.has("receipt");
        double seconds = delivered
                ? Duration.between(
                                        start,
                                        Instant.parse(
                                                delivery.get("deliveredAt").asText()))
                                .toNanos()
                        / 1e9
                : 0;
        double mib = largeBytes / (1024.0 * 1024.0);
        row.put("bytes", largeBytes);
        row.put("heap", heap);
        row.put("requests", 1);
        row.put("acceptSeconds", BenchReport.round(acceptSeconds));
        row.put("acceptMiBPerSecond", BenchReport.round(mib / acceptSeconds));
        row.put("delivered", delivered);
        row.put("deliveredSeconds", BenchReport.round(seconds));
        row.put("mibPerSecond", seconds == 0 ? 0 : BenchReport.round(mib / seconds));
        row.put("errors", delivered && federation.allAlive() ? 0 : 1);
        if (!delivered) {
            row.put(
                    "state",
                    delivery.path("state").asText() + " "
                            + delivery.path("lastError").asText(""));
        }
        report.finish(row, all.stream().map(BenchProbe::sample).toList());
    }

    private void validate() {
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw usage("--scenario: " + s + " (expected: one or more of " + String.join(", ", SCENARIOS) + ")");
            }
        }
        if (baselines.equals(List.of("none"))) {
            baselines = List.of();
        }
        for (String b : baselines) {
            if (!BASELINES.contains(b)) {
                throw usage("--baselines: " + b + " (expected: direct, nginx, both, or none)");
            }
        }
        for (int n : clients) {
            if (n < 1 || n > 1024) {
                throw usage("--clients: " + n + " (expected: 1-1024)");
            }
        }
        for (int r : recipients) {
            if (r < 1 || r > 99) {
                throw usage("--recipients: " + r + " (expected: 1-99)");
            }
        }
        if (warmup.isNegative() || warmServers.isNegative()) {
            throw usage("--warmup and --warm-servers must not be negative");
        }
        if (duration.isNegative() || duration.isZero() && requests <= 0) {
            throw usage("--duration: " + duration + " (expected: above 0, unless --requests is given)");
        }
        if (documentBytes < 1 || largeBytes < 1) {
            throw usage("--document-bytes and --large-bytes must be above 0");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private ObjectNode settings() {
        ObjectNode s = JsonOutput.object();
        scenarios.forEach(s.putArray("scenarios")::add);
        baselines.forEach(s.putArray("baselines")::add);
        clients.forEach(s.putArray("clients")::add);
        s.put("durationSeconds", duration.toMillis() / 1000.0);
        s.put("requests", requests);
        s.put("warmupSeconds", warmup.toMillis() / 1000.0);
        s.put("warmServersSeconds", warmServers.toMillis() / 1000.0);
        s.put("heap", heap);
        recipients.forEach(s.putArray("recipients")::add);
        s.put("documentBytes", documentBytes);
        s.put("largeBytes", largeBytes);
        s.put("restBodyBytes", BenchBackend.BODY_BYTES);
        return s;
    }

    private static List<BenchProbe> with(List<BenchProbe> probes, BenchProbe self) {
        List<BenchProbe> all = new ArrayList<>(probes);
        all.add(self);
        return all;
    }

    private static int max(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    /** The nginx relay when the run has one, closed with the rest. */
    private static final class Relay implements AutoCloseable {
        final NginxRelay relay;

        Relay(NginxRelay relay) {
            this.relay = relay;
        }

        @Override
        public void close() throws InterruptedException {
            if (relay != null) {
                relay.close();
            }
        }
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, or an ISO-8601 duration. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                if (v.startsWith("p")) {
                    return Duration.parse(value.trim());
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                if (v.endsWith("s")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
                }
                if (v.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
                }
                throw new IllegalArgumentException("no unit");
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' (expected: a duration such as 500ms, 10s, 2m)");
            }
        }
    }
}
