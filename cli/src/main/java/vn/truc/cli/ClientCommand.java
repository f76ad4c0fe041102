package vn.truc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.server.ServerConfig;
import vn.truc.server.audit.ContentLog;
import vn.truc.server.store.ConnectionType;
import vn.truc.server.store.LocalClient;
import vn.truc.server.store.ServerStore;

/**
 * {@code truc server client ...}: how this server's own client subsystems must call its client
 * proxy (plain HTTP, HTTPS, or HTTPS with a registered certificate), as in X-Road, and whether the
 * content of their messages is logged.
 */
@Command(
        name = "client",
        mixinStandardHelpOptions = true,
        description = "Set how this server's client subsystems must call the client proxy, and their TLS certificates.",
        subcommands = {
            ClientCommand.SetType.class,
            ClientCommand.LogContent.class,
            ClientCommand.CertAdd.class,
            ClientCommand.ListClients.class
        })
final class ClientCommand implements Runnable {
    private static final String SUBSYSTEM_HELP = "A subsystem of this server's member, e.g. VN/GOV/000.00.00.G22/DMS";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Set a subsystem's connection type: HTTP (any listener, the default), HTTPS_NO_AUTH"
                    + " (HTTPS only) or HTTPS (HTTPS with a certificate registered with cert-add).")
    static final class SetType implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Parameters(index = "0", paramLabel = "SUBSYSTEM", description = SUBSYSTEM_HELP)
        String subsystem;

        @Option(
                names = "--connection-type",
                required = true,
                paramLabel = "TYPE",
                description = "HTTP, HTTPS_NO_AUTH or HTTPS")
        String connectionType;

        @Override
        public Integer call() {
            ClientId id = ClientId.parseSubsystem(subsystem);
            ConnectionType type = ConnectionType.parse(connectionType);
            try (ServerStore store = ServiceCommand.open(dir)) {
                store.clients().setConnectionType(id, type);
            }
            spec.commandLine().getOut().println(id + " calls over " + type);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "log-content",
            mixinStandardHelpOptions = true,
            description = "Log the content of a subsystem's messages (full), sealed for the operator's"
                    + " audit.content-certificate, or only their metadata (metadata, the default).")
    static final class LogContent implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Parameters(index = "0", paramLabel = "SUBSYSTEM", description = SUBSYSTEM_HELP)
        String subsystem;

        @Parameters(index = "1", paramLabel = "LEVEL", description = "full or metadata")
        String level;

        @Override
        public Integer call() {
            ClientId id = ClientId.parseSubsystem(subsystem);
            boolean full =
                    switch (level) {
                        case "full" -> true;
                        case "metadata" -> false;
                        default ->
                            throw new TrucException(
                                    Origin.CLI,
                                    ErrorCode.INVALID_REQUEST,
                                    "LEVEL '" + level + "' (expected: full or metadata)");
                    };
            if (full) {
                // no subsystem may be set to log what the server could not seal: its messages would be refused
                ServerConfig config = ServerConfig.load(dir.dir);
                if (ContentLog.certificate(config.audit()) == null) {
                    throw new TrucException(
                            Origin.CLI,
                            ErrorCode.INVALID_CONFIG,
                            "set audit.content-certificate in " + dir.dir.resolve(ServerConfig.FILE)
                                    + " first: the operator's certificate that logged contents are sealed for");
                }
            }
            try (ServerStore store = ServiceCommand.open(dir)) {
                store.clients().setLogContent(id, full);
            }
            spec.commandLine()
                    .getOut()
                    .println(id + " logs " + (full ? "the content of its messages" : "metadata only"));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "cert-add",
            mixinStandardHelpOptions = true,
            description = "Register the TLS certificate of a subsystem's information system (PEM).")
    static final class CertAdd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Parameters(index = "0", paramLabel = "SUBSYSTEM", description = SUBSYSTEM_HELP)
        String subsystem;

        @Option(names = "--cert", required = true, paramLabel = "FILE", description = "The certificate, PEM")
        Path cert;

        @Override
        public Integer call() {
            ClientId id = ClientId.parseSubsystem(subsystem);
            X509Certificate certificate = readCertificate(cert);
            String hash;
            try (ServerStore store = ServiceCommand.open(dir)) {
                hash = store.clients().addCertificate(id, certificate);
            }
            spec.commandLine().getOut().println("registered certificate sha256 " + hash + " for " + id);
            return ExitCodes.OK;
        }

        private static X509Certificate readCertificate(Path file) {
            try {
                return Certificates.fromPem(Files.readString(file));
            } catch (IOException | IllegalArgumentException e) {
                throw new TrucException(
                        Origin.CLI,
                        ErrorCode.INVALID_REQUEST,
                        "cannot read a PEM certificate from " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the subsystems with a connection type, certificates or content logging (others use"
                    + " HTTP and log metadata).")
    static final class ListClients implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Mixin
        Options.Json json;

        @Override
        public Integer call() {
            try (ServerStore store = ServiceCommand.open(dir)) {
                PrintWriter out = spec.commandLine().getOut();
                ArrayNode array = JsonOutput.MAPPER.createArrayNode();
                for (LocalClient c : store.clients().list()) {
                    if (json.json) {
                        ObjectNode node = array.addObject()
                                .put("id", c.id().toString())
                                .put("connectionType", c.connectionType().name())
                                .put("logContent", c.logContent() ? "full" : "metadata");
                        c.certificateHashes().forEach(node.putArray("certificates")::add);
                    } else {
                        out.printf(
                                "%s  %s  %d certificate(s)  log %s%n",
                                c.id(),
                                c.connectionType(),
                                c.certificateHashes().size(),
                                c.logContent() ? "full" : "metadata");
                        c.certificateHashes().forEach(h -> out.println("    sha256 " + h));
                    }
                }
                if (json.json) {
                    JsonOutput.print(out, array);
                }
            }
            return ExitCodes.OK;
        }
    }
}
