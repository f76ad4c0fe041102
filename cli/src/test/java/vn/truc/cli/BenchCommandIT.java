package vn.truc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke version of {@code truc bench}: a few requests of each kind through a real federation
 * (server processes, mutual TLS, signatures, logs) and the baselines, checking that every call
 * passed and the report has its fields. It asserts no timing: CI machines are too noisy for that.
 */
class BenchCommandIT {
    private static final boolean NGINX = NginxRelay.find().isPresent();

    @TempDir
    static Path dir;

    private static Cli.Run run;
    private static JsonNode report;

    @BeforeAll
    static void runBench() throws Exception {
        Path out = dir.resolve("bench.json");
        run = Cli.run(
                "bench",
                "--dir",
                dir.resolve("bench").toString(),
                "--scenario",
                "rest,soap,documents",
                "--baselines",
                NGINX ? "direct,nginx" : "direct",
                "--clients",
                "2",
                "--requests",
                "20",
                "--warmup",
                "0s",
                "--warm-servers",
                "1s",
                "--recipients",
                "1",
                "--out",
                out.toString());
        report = Files.exists(out) ? new ObjectMapper().readTree(out.toFile()) : null;
    }

    @Test
    void restSoapAndDocumentsPassThroughTrucWithNoErrors() {
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(report.get("errors").asLong()).isZero();
        for (String scenario : List.of("rest", "soap")) {
            JsonNode truc = row(scenario, "truc");
            assertLoad(truc, 20);
            assertThat(names(truc))
                    .contains("server 000.00.00.G22", "server 000.00.00.H41", "driver (clients, backend, registry)");
            for (JsonNode server : truc.get("processes")) {
                if (server.get("name").asText().startsWith("server ")) {
                    assertThat(server.get("cpuSeconds").asDouble())
                            .as("%s", server)
                            .isPositive();
                    assertThat(server.get("peakHeapMiB").asDouble())
                            .as("%s", server)
                            .isPositive();
                    assertThat(server.get("maxHeapMiB").asDouble())
                            .as("%s", server)
                            .isPositive();
                }
            }
        }
        JsonNode documents = row("documents-1", "truc");
        assertLoad(documents, 20);
        assertThat(documents.get("accepted").asLong()).isEqualTo(20);
        assertThat(documents.get("deliveredWithReceipt").asLong()).isEqualTo(20);
        assertThat(documents.get("undelivered").asLong()).isZero();
        assertThat(documents.get("receiptsPerSecond").asDouble()).isPositive();
    }

    @Test
    void theServersAreWarmedOnceBeforeTheFirstRunAndTheWarmUpIsReportedApart() {
        assertThat(report.at("/settings/warmServersSeconds").asDouble()).isEqualTo(1.0);
        assertThat(report.at("/serverWarmUp/requests").asLong()).isPositive();
        assertThat(report.at("/serverWarmUp/errors").asLong()).isZero();
        assertThat(run.out()).contains("warming the servers: 1 s of REST load at 2 clients");
        // the measured rows count only their own calls
        assertLoad(row("rest", "truc"), 20);
    }

    @Test
    void directBaselineRunsTheSameLoadAndTrucIsComparedWithIt() {
        for (String scenario : List.of("rest", "soap")) {
            assertLoad(row(scenario, "direct"), 20);
            assertThat(ratio(scenario, "direct").get("throughput").asDouble()).isPositive();
        }
        assertThat(report.at("/machine/cpus").asInt()).isPositive();
        assertThat(report.at("/settings/clients/0").asInt()).isEqualTo(2);
    }

    @Test
    void nginxRelayBaselineRunsTheSameLoadThroughTwoNginxOverMutualTls() throws Exception {
        assumeTrue(NGINX, "nginx is not installed");
        for (String scenario : List.of("rest", "soap")) {
            JsonNode nginx = row(scenario, "nginx");
            assertLoad(nginx, 20);
            assertThat(names(nginx)).contains("nginx relay A", "nginx relay B");
            assertThat(ratio(scenario, "nginx").get("throughput").asDouble()).isPositive();
        }
        // relay B, which admits only a client certificate of the relay CA, logged each call as passed
        List<String> relayed = Files.readAllLines(dir.resolve("bench/nginx/b-access.log"));
        assertThat(relayed).hasSize(40).allSatisfy(line -> assertThat(line).contains("\" 200 "));
    }

    private static void assertLoad(JsonNode row, long requests) {
        assertThat(row.get("requests").asLong()).as("%s", row).isEqualTo(requests);
        assertThat(row.get("errors").asLong()).as("%s", row).isZero();
        assertThat(row.get("throughput").asDouble()).as("%s", row).isPositive();
        JsonNode latency = row.get("latencyMs");
        assertThat(latency.get("p50").asDouble()).isPositive();
        assertThat(latency.get("p99").asDouble())
                .isGreaterThanOrEqualTo(latency.get("p50").asDouble());
        assertThat(latency.get("max").asDouble())
                .isGreaterThanOrEqualTo(latency.get("p99").asDouble());
        assertThat(row.get("processes")).isNotEmpty();
    }

    private static JsonNode row(String scenario, String target) {
        assertThat(report).as(run.out() + run.err()).isNotNull();
        for (JsonNode row : report.get("results")) {
            if (row.get("scenario").asText().equals(scenario)
                    && row.get("target").asText().equals(target)) {
                return row;
            }
        }
        throw new AssertionError("no " + scenario + "/" + target + " row in " + report);
    }

    private static JsonNode ratio(String scenario, String baseline) {
        for (JsonNode r : report.get("ratios")) {
            if (r.get("scenario").asText().equals(scenario)
                    && r.get("baseline").asText().equals(baseline)) {
                return r;
            }
        }
        throw new AssertionError("no " + scenario + " truc/" + baseline + " ratio in " + report.get("ratios"));
    }

    private static List<String> names(JsonNode row) {
        List<String> names = new ArrayList<>();
        row.get("processes").forEach(p -> names.add(p.get("name").asText()));
        return names;
    }
}
