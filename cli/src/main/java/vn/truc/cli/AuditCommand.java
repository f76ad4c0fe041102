package vn.truc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vn.truc.core.audit.AuditReport;
import vn.truc.core.audit.AuditVerifier;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.Pem;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.server.ServerConfig;
import vn.truc.server.audit.AuditExport;

/** {@code truc audit ...}: signed exports of the message log, and their offline check. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Export the message log for an auditor, and verify such an export offline.",
        subcommands = {AuditCommand.Export.class, AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** At most one of {@code --member} and {@code --subsystem}. */
    static final class Party {
        @Option(names = "--member", description = "Only records where this member (or its subsystems) is a party")
        String member;

        @Option(names = "--subsystem", description = "Only records where this subsystem is a party")
        String subsystem;

        ClientId id() {
            return member != null ? ClientId.parseMember(member) : ClientId.parseSubsystem(subsystem);
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Write the records logged from --from to --to as one signed file (CMS SignedData, DER).")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Mixin
        Options.Pin pin;

        @Mixin
        Options.Json json;

        @Option(
                names = "--from",
                required = true,
                description = "First instant, inclusive (ISO-8601, e.g. 2025-01-01T00:00:00Z)")
        String from;

        @Option(names = "--to", required = true, description = "Last instant, exclusive (ISO-8601)")
        String to;

        @ArgGroup(exclusive = true)
        Party party;

        @Option(names = "--out", required = true, description = "The export file to write")
        Path out;

        @Option(
                names = "--content-key",
                paramLabel = "PEM",
                description = "The operator's private key for audit.content-certificate: logged contents go into"
                        + " the export in the clear; without it they go sealed as kept")
        Path contentKey;

        @Override
        public Integer call() {
            AuditExport.Selection selection = new AuditExport.Selection(
                    instant("--from", from), instant("--to", to), party == null ? null : party.id());
            ServerConfig config = ServerConfig.load(dir.dir);
            AuditExport.Result result = AuditExport.write(config, pin.get(), selection, contentKey(contentKey), out);
            PrintWriter printer = spec.commandLine().getOut();
            if (json.json) {
                ObjectNode node = JsonOutput.object()
                        .put("out", out.toString())
                        .put("firstId", result.firstId())
                        .put("lastId", result.lastId())
                        .put("records", result.records())
                        .put("included", result.included())
                        .put("untimestamped", result.untimestamped())
                        .put("contents", result.contents())
                        .put("contentsMissing", result.contentsMissing());
                result.batches().forEach(node.putArray("batches")::add);
                JsonOutput.print(printer, node);
            } else {
                printer.println("exported records " + result.firstId() + ".." + result.lastId() + " ("
                        + result.included() + " of " + result.records() + " included, "
                        + result.batches().size() + " timestamp batches, " + result.contents()
                        + (contentKey == null ? " sealed" : " opened") + " logged contents) to " + out);
                if (result.contentsMissing() > 0) {
                    printer.println("warning: " + result.contentsMissing()
                            + " records say their content was logged, but it was not found in "
                            + config.audit().contentDir());
                }
                if (result.untimestamped() > 0) {
                    printer.println("note: " + result.untimestamped()
                            + " records are not timestamped yet; they are exported with batch null");
                }
            }
            return ExitCodes.OK;
        }

        private static Instant instant(String option, String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new TrucException(
                        Origin.CLI,
                        ErrorCode.INVALID_REQUEST,
                        option + ": '" + text + "' (expected: an ISO-8601 instant, e.g. 2025-01-01T00:00:00Z)");
            }
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Check an audit export offline; exit 0 if everything verifies, 1 with every problem found.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Options.Json json;

        @Parameters(
                arity = "1..*",
                description = "The export file; several (archives oldest first, then a live export) are also checked"
                        + " to continue one another's chain")
        List<Path> files;

        @Option(
                names = "--trust",
                description = "PEM file of CA and TSA certificates you trust (repeatable); without it the export's"
                        + " own trust.pem is used, and the output says so")
        List<Path> trust = new ArrayList<>();

        @Option(
                names = "--max-timestamp-delay",
                defaultValue = "P1D",
                converter = MaxDelay.class,
                description = "Refuse a record timestamped longer than this after it was logged (ISO-8601, e.g."
                        + " PT6H; default ${DEFAULT-VALUE}); must exceed the server's audit.timestamp-grace")
        java.time.Duration maxDelay;

        @Option(
                names = "--content-key",
                paramLabel = "PEM",
                description = "The operator's private key, to open and check logged contents exported sealed")
        Path contentKey;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<X509Certificate> trusted = trusted();
            PrivateKey key = contentKey(contentKey);
            List<byte[]> exports = new ArrayList<>();
            List<String> names = new ArrayList<>();
            boolean ok = true;
            var results = JsonOutput.object().putArray("files");
            for (Path file : files) {
                byte[] export = read(file);
                exports.add(export);
                names.add(file.getFileName().toString());
                AuditReport report = AuditVerifier.verify(export, trusted, maxDelay, key);
                ok &= report.ok();
                if (json.json) {
                    results.add(toJson(report).put("file", file.toString()));
                } else {
                    if (files.size() > 1) {
                        out.println("file:       " + file);
                    }
                    printText(out, report);
                }
            }
            List<String> seams = AuditVerifier.continuity(names, exports);
            ok &= seams.isEmpty();
            if (json.json) {
                if (files.size() == 1) {
                    JsonOutput.print(out, (ObjectNode) results.get(0));
                } else {
                    ObjectNode all = JsonOutput.object().put("ok", ok);
                    all.set("files", results);
                    seams.forEach(all.putArray("continuity")::add);
                    JsonOutput.print(out, all);
                }
            } else if (files.size() > 1) {
                out.println(
                        seams.isEmpty()
                                ? "continuity: OK, the " + files.size() + " files form one chain"
                                : "continuity: FAILED");
                seams.forEach(p -> out.println("  " + p));
            }
            return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }

        private List<X509Certificate> trusted() {
            List<X509Certificate> certs = new ArrayList<>();
            for (Path pem : trust) {
                try {
                    certs.addAll(Certificates.allFromPem(new String(read(pem), StandardCharsets.US_ASCII)));
                } catch (IllegalArgumentException e) {
                    throw new TrucException(
                            Origin.CLI, ErrorCode.INVALID_REQUEST, "--trust " + pem + ": " + e.getMessage());
                }
            }
            return certs;
        }

        private static byte[] read(Path path) {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new TrucException(Origin.CLI, ErrorCode.NOT_FOUND, "cannot read " + path + ": " + e);
            }
        }

        private static void printText(PrintWriter out, AuditReport r) {
            out.println("server:     " + r.serverId());
            out.println("signer:     " + r.signer());
            out.println("period:     " + r.from() + " to " + r.to()
                    + (r.firstLoggedAt() == null
                            ? ""
                            : " (records logged " + r.firstLoggedAt() + " to " + r.lastLoggedAt() + ")"));
            out.println("records:    " + r.records() + " in the chain (ids " + r.firstId() + ".." + r.lastId() + "), "
                    + r.included() + " included");
            out.println("batches:    " + r.batches().size() + " timestamped"
                    + (r.untimestamped() > 0 ? ", " + r.untimestamped() + " records not timestamped yet" : ""));
            r.notes().forEach(n -> out.println("note:       " + n));
            if (r.ok()) {
                out.println("result:     OK, every check passed");
                return;
            }
            out.println("result:     FAILED, " + r.problems().size() + " problems");
            r.firstFailingRecord().ifPresent(p -> out.println("first failing record: " + p));
            r.problems().forEach(p -> out.println("  " + p));
        }

        private static ObjectNode toJson(AuditReport r) {
            ObjectNode node = JsonOutput.object()
                    .put("ok", r.ok())
                    .put("serverId", r.serverId())
                    .put("signer", r.signer())
                    .put("selfVouched", r.selfVouched())
                    .put("from", r.from() == null ? null : r.from().toString())
                    .put("to", r.to() == null ? null : r.to().toString())
                    .put("firstId", r.firstId())
                    .put("lastId", r.lastId())
                    .put("records", r.records())
                    .put("included", r.included())
                    .put("untimestamped", r.untimestamped());
            r.batches().forEach(node.putArray("batches")::add);
            r.firstFailingRecord().ifPresent(p -> node.put("firstFailingRecord", p.recordId()));
            ArrayNode problems = node.putArray("problems");
            for (AuditReport.Problem p : r.problems()) {
                ObjectNode problem =
                        problems.addObject().put("subject", p.subject()).put("message", p.toString());
                if (p.recordId() != null) {
                    problem.put("record", p.recordId());
                }
            }
            r.notes().forEach(node.putArray("notes")::add);
            return node;
        }
    }

    /** The private key in the PEM file {@code --content-key} names, or null when none is named. */
    static PrivateKey contentKey(Path file) {
        if (file == null) {
            return null;
        }
        try {
            return Pem.privateKey(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException | IllegalArgumentException e) {
            throw new TrucException(
                    Origin.CLI, ErrorCode.INVALID_REQUEST, "--content-key " + file + ": " + e.getMessage(), e);
        }
    }

    /** An ISO-8601 duration, e.g. PT6H or P2D. */
    static final class MaxDelay implements CommandLine.ITypeConverter<java.time.Duration> {
        @Override
        public java.time.Duration convert(String value) {
            try {
                return java.time.Duration.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not an ISO-8601 duration (e.g. PT6H, P2D)");
            }
        }
    }
}
