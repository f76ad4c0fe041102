package vn.truc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@code truc bench} run: one JSON row per scenario, target and client count,
 * the Truc / baseline ratios, and the machine it ran on; printed as lines of text as they come and
 * written as one JSON document at the end.
 */
final class BenchReport {
    private final ObjectNode root = JsonOutput.object();
    private final ArrayNode results;
    private final PrintWriter out;

    BenchReport(PrintWriter out, ObjectNode settings) {
        this.out = out;
        root.put("startedAt", Instant.now().toString());
        ObjectNode machine = root.putObject("machine");
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.set("loadAverageAtStart", loadAverage());
        root.set("settings", settings);
        results = root.putArray("results");
    }

    /** A new row for {@code scenario} through {@code target} at {@code clients}; the caller fills in the figures. */
    ObjectNode row(String scenario, String target, int clients) {
        ObjectNode row = results.addObject();
        row.put("scenario", scenario).put("target", target).put("clients", clients);
        row.set("loadAverageBefore", loadAverage());
        return row;
    }

    /** Puts a load run's figures into {@code row}. */
    static void putLoad(ObjectNode row, BenchLoad.Result load) {
        row.put("requests", load.requests());
        row.put("errors", load.errors());
        row.put("seconds", round(load.seconds()));
        row.put("throughput", round(load.perSecond()));
        row.putObject("latencyMs")
                .put("p50", round(load.p50Ms()))
                .put("p99", round(load.p99Ms()))
                .put("max", round(load.maxMs()))
                .put("mean", round(load.meanMs()));
        ArrayNode samples = row.putArray("errorSamples");
        load.errorSamples().forEach(samples::add);
    }

    /** Records and prints the unmeasured load that warmed the servers before the first run. */
    void warmedUp(BenchLoad.Result load) {
        ObjectNode warm = root.putObject("serverWarmUp");
        putLoad(warm, load);
        out.println(String.format(
                Locale.ROOT,
                "warmed up: %d calls at %.1f /s, %d errors (not counted in the results)",
                load.requests(),
                load.perSecond(),
                load.errors()));
        out.flush();
    }

    /** Puts what each probed process used into {@code row}, and prints the row. */
    void finish(ObjectNode row, List<BenchProbe.Sample> samples) {
        ArrayNode processes = row.putArray("processes");
        for (BenchProbe.Sample s : samples) {
            ObjectNode p = processes
                    .addObject()
                    .put("name", s.name())
                    .put("pid", s.pid())
                    .put("cpuSeconds", round(s.cpuSeconds()))
                    .put("peakRssMiB", round(s.peakRssMiB()));
            if (s.peakHeapMiB() >= 0) {
                p.put("peakHeapMiB", round(s.peakHeapMiB()))
                        .put("poolPeaksMiB", round(s.poolPeaksMiB()))
                        .put("maxHeapMiB", round(s.maxHeapMiB()));
            }
        }
        row.set("loadAverageAfter", loadAverage());
        print(row);
    }

    private void print(JsonNode row) {
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                "%-13s %-6s %3d clients: ",
                row.get("scenario").asText(),
                row.get("target").asText(),
                row.get("clients").asInt()));
        if (row.has("mibPerSecond")) {
            line.append(String.format(
                    Locale.ROOT,
                    "%,d bytes accepted in %.1f s, delivered in %.1f s: %.1f MiB/s",
                    row.get("bytes").asLong(),
                    row.get("acceptSeconds").asDouble(),
                    row.get("deliveredSeconds").asDouble(),
                    row.get("mibPerSecond").asDouble()));
        } else {
            line.append(String.format(
                    Locale.ROOT,
                    "%9.1f /s  p50 %7.2f ms  p99 %7.2f ms  max %8.2f ms",
                    row.get("throughput").asDouble(),
                    row.at("/latencyMs/p50").asDouble(),
                    row.at("/latencyMs/p99").asDouble(),
                    row.at("/latencyMs/max").asDouble()));
            if (row.has("receiptsPerSecond")) {
                line.append(String.format(
                        Locale.ROOT,
                        "  receipts %.1f /s (%d of %d)",
                        row.get("receiptsPerSecond").asDouble(),
                        row.get("deliveredWithReceipt").asLong(),
                        row.get("deliveries").asLong()));
            }
        }
        line.append("  errors ").append(row.get("errors").asLong());
        for (JsonNode p : row.get("processes")) {
            line.append(String.format(
                    Locale.ROOT,
                    "%n      %-22s cpu %7.2f s  peak rss %7.1f MiB",
                    p.get("name").asText(),
                    p.get("cpuSeconds").asDouble(),
                    p.get("peakRssMiB").asDouble()));
            if (p.has("peakHeapMiB")) {
                line.append(String.format(
                        Locale.ROOT,
                        "  peak heap %6.1f of %.0f MiB",
                        p.get("peakHeapMiB").asDouble(),
                        p.get("maxHeapMiB").asDouble()));
            }
        }
        out.println(line);
        out.flush();
    }

    /** Truc's throughput and latency over each baseline's, per synchronous scenario and client count. */
    private ArrayNode ratios() {
        ArrayNode ratios = JsonOutput.MAPPER.createArrayNode();
        for (JsonNode truc : results) {
            if (!truc.get("target").asText().equals("truc") || !truc.has("latencyMs") || truc.has("deliveries")) {
                continue;
            }
            for (JsonNode base : results) {
                if (base.get("target").asText().equals("truc")
                        || !base.get("scenario").equals(truc.get("scenario"))
                        || base.get("clients").asInt() != truc.get("clients").asInt()) {
                    continue;
                }
                ratios.addObject()
                        .put("scenario", truc.get("scenario").asText())
                        .put("clients", truc.get("clients").asInt())
                        .put("baseline", base.get("target").asText())
                        .put("throughput", ratio(truc.get("throughput"), base.get("throughput")))
                        .put("p50", ratio(truc.at("/latencyMs/p50"), base.at("/latencyMs/p50")))
                        .put("p99", ratio(truc.at("/latencyMs/p99"), base.at("/latencyMs/p99")));
            }
        }
        return ratios;
    }

    /** Total errors over every row. */
    long errors() {
        long errors = 0;
        for (JsonNode row : results) {
            errors += row.get("errors").asLong();
        }
        return errors;
    }

    /** Prints the ratios and writes the whole report to {@code file} when one is given. */
    void close(Path file) throws IOException {
        ArrayNode ratios = ratios();
        root.set("ratios", ratios);
        root.put("errors", errors());
        root.put("finishedAt", Instant.now().toString());
        ((ObjectNode) root.get("machine")).set("loadAverageAtEnd", loadAverage());
        for (JsonNode r : ratios) {
            out.println(String.format(
                    Locale.ROOT,
                    "%-13s truc/%-6s %3d clients: throughput x%.3f  p50 x%.2f  p99 x%.2f",
                    r.get("scenario").asText(),
                    r.get("baseline").asText(),
                    r.get("clients").asInt(),
                    r.get("throughput").asDouble(),
                    r.get("p50").asDouble(),
                    r.get("p99").asDouble()));
        }
        out.println("errors: " + errors());
        out.flush();
        if (file != null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, JsonOutput.MAPPER.writeValueAsString(root));
        }
    }

    private static double ratio(JsonNode a, JsonNode b) {
        return b.asDouble() == 0 ? 0 : round(a.asDouble() / b.asDouble(), 1000);
    }

    static double round(double value) {
        return round(value, 100);
    }

    private static double round(double value, double scale) {
        return Math.round(value * scale) / scale;
    }

    /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg} (empty when there is none). */
    static ArrayNode loadAverage() {
        ArrayNode load = JsonOutput.MAPPER.createArrayNode();
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            for (int i = 0; i < 3; i++) {
                load.add(Double.parseDouble(fields[i]));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no load average to report
        }
        return load;
    }
}
