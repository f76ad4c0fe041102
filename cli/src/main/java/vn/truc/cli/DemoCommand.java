package vn.truc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.net.FreePorts;

/**
 * {@code truc demo}: a whole federation on loopback in a fresh folder — a registry and the
 * security servers of two agencies — set up, registered, approved and checked step by step.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Bring up a registry and two agencies' security servers on loopback, register and approve them,",
            "and check that both hold a valid, verified global configuration.",
            "With --once: run the checks, print the result, stop everything; exit 0 only if every step passed."
        })
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--dir",
            description = "Folder for the demo (must not exist or be empty; default: a new temporary folder)")
    Path dir;

    @Option(names = "--once", description = "Run the scripted checks, then stop everything and exit")
    boolean once;

    @Option(names = "--json", description = "Print one JSON object with the steps and the files they produced")
    boolean json;

    @Option(names = "--verbose", description = "Log what the registry and servers do (to standard error)")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (!verbose) {
            quietLogs();
        }
        Path folder = prepareFolder();
        PrintWriter out = spec.commandLine().getOut();
        DemoFederation federation = new DemoFederation(folder, FreePorts::next);
        DemoFederation.Result result;
        try {
            result = federation.run(json ? null : out);
            if (json) {
                JsonOutput.print(out, toJson(folder, result));
            } else {
                printSummary(out, folder, result);
            }
            if (!once && result.ok()) {
                out.println("Running. Press Ctrl-C to stop.");
                out.flush();
                UntilStopped.run(federation);
            }
        } finally {
            if (once) {
                federation.close();
            }
        }
        if (!once && !result.ok()) {
            federation.close();
        }
        return result.ok() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private Path prepareFolder() throws IOException {
        if (dir == null) {
            return Files.createTempDirectory("truc-demo-");
        }
        if (Files.exists(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new TrucException(
                            Origin.CLI, ErrorCode.ALREADY_EXISTS, dir + " is not empty; the demo needs a fresh folder");
                }
            }
        }
        return Files.createDirectories(dir);
    }

    private static ObjectNode toJson(Path folder, DemoFederation.Result result) {
        ObjectNode root = JsonOutput.object();
        root.put("ok", result.ok());
        ArrayNode steps = root.putArray("steps");
        for (DemoFederation.Step step : result.steps()) {
            steps.addObject().put("name", step.name()).put("ok", step.ok()).put("detail", step.detail());
        }
        root.put("dir", folder.toAbsolutePath().toString());
        if (result.registryUrl() != null) {
            root.put("registry", result.registryUrl());
        }
        ArrayNode servers = root.putArray("servers");
        result.servers().forEach(s -> servers.addObject()
                .put("id", s.id())
                .put("address", s.address())
                .put("clientProxy", s.clientProxy())
                .put("dir", s.dir()));
        if (result.globalConf() != null) {
            root.put("globalConf", result.globalConf().toAbsolutePath().toString());
        }
        if (result.auditExport() != null) {
            root.put("auditExport", result.auditExport().toAbsolutePath().toString());
        }
        if (result.auditTrust() != null) {
            root.put("auditTrust", result.auditTrust().toAbsolutePath().toString());
        }
        if (result.auditContentKey() != null) {
            root.put(
                    "auditContentKey", result.auditContentKey().toAbsolutePath().toString());
        }
        if (result.globalConfCert() != null) {
            root.put("globalConfCert", result.globalConfCert().toAbsolutePath().toString());
        }
        return root;
    }

    private static void printSummary(PrintWriter out, Path folder, DemoFederation.Result result) {
        out.println();
        out.println(result.ok() ? "Demo federation is up." : "Demo failed: see the step marked FAIL above.");
        out.println("  folder:    " + folder.toAbsolutePath());
        if (result.registryUrl() != null) {
            out.println("  registry:  " + result.registryUrl());
        }
        result.servers()
                .forEach(s -> out.println("  server:    " + s.id() + " at " + s.address() + ", client proxy "
                        + s.clientProxy() + " (" + s.dir() + ")"));
        out.println("  PIN of every key store: " + DemoFederation.PIN);
        if (result.globalConf() != null) {
            out.println("  try:       ./truc server status --dir "
                    + result.servers().get(0).dir());
            out.println("             curl -H 'X-Road-Client: VN/GOV/000.00.00.G22/DMS' "
                    + result.servers().get(0).clientProxy() + "/r1/VN/GOV/000.00.00.H41/DMS/getDocument/7816");
            out.println("             curl -H 'X-Road-Client: VN/GOV/000.00.00.H41/DMS' "
                    + result.servers().get(1).clientProxy() + "/documents/v1/inbox   (docs/documents.md)");
        }
        if (result.auditExport() != null) {
            out.println("  audit:     ./truc audit verify " + result.auditExport() + " --trust " + result.auditTrust()
                    + "   (docs/audit.md)");
        }
        out.flush();
    }

    /** The demo prints its own progress; the components' INFO lines would bury it. */
    static void quietLogs() {
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }
}
