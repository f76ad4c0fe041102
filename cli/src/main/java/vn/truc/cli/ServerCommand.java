package vn.truc.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vn.truc.core.id.SecurityServerId;
import vn.truc.server.SecurityServer;
import vn.truc.server.ServerConfig;
import vn.truc.server.ServerSetup;
import vn.truc.server.ServerStatus;
import vn.truc.server.globalconf.GlobalConfClient;
import vn.truc.server.registration.RegistrationState;

/** {@code truc server ...}: an agency's security server. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Create, run and inspect a security server.",
        subcommands = {
            ServerCommand.Init.class,
            ServerCommand.Start.class,
            ServerCommand.Status.class,
            ServiceCommand.class,
            AclCommand.class,
            ClientCommand.class
        })
final class ServerCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The server directory, shared by every server command. */
    static final class Dir {
        @Option(
                names = "--dir",
                defaultValue = "server",
                description = "Security server directory (default: ${DEFAULT-VALUE})")
        Path dir;
    }

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = "Create keys, get certificates from the registry's CA and submit a registration request.")
    static final class Init implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Dir dir;

        @Mixin
        Options.Pin pin;

        @Mixin
        Options.Json json;

        @Option(names = "--anchor", required = true, description = "The registry's anchor file (anchor.xml)")
        Path anchor;

        @Option(names = "--id", required = true, description = "This server's id, e.g. VN/GOV/000.00.00.G22/ss1")
        String serverId;

        @Option(names = "--address", required = true, description = "host:port where peers reach this server")
        String address;

        @Option(names = "--token", required = true, description = "The owner member's enrolment token")
        String token;

        @Option(
                names = "--client-proxy-port",
                defaultValue = "8080",
                description =
                        "Port of the client proxy, where this agency's systems call in (default: ${DEFAULT-VALUE})")
        int clientProxyPort;

        @Option(
                names = "--poll-interval",
                defaultValue = "60s",
                description = "Global configuration poll interval (default: ${DEFAULT-VALUE})")
        String pollInterval;

        @Override
        public Integer call() {
            Duration interval = vn.truc.core.config.Settings.of("command line", java.util.Map.of("poll", pollInterval))
                    .duration("poll", Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofHours(1));
            RegistrationState state = ServerSetup.init(
                    new ServerSetup.InitRequest(
                            dir.dir,
                            anchor,
                            SecurityServerId.parse(serverId),
                            address,
                            token,
                            interval,
                            clientProxyPort),
                    pin.get());
            PrintWriter out = spec.commandLine().getOut();
            if (json.json) {
                JsonOutput.print(out, registrationJson(state));
            } else {
                out.println("security server " + state.serverId() + " created in " + dir.dir);
                out.println("registration request " + state.id() + ": " + state.state()
                        + " (the registry administrator approves it with 'truc registry server approve " + state.id()
                        + "')");
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Run the security server until stopped (Ctrl-C or SIGTERM).")
    static final class Start implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Dir dir;

        @Mixin
        Options.Pin pin;

        @Override
        public Integer call() throws InterruptedException {
            SecurityServer server = SecurityServer.start(ServerConfig.load(dir.dir), pin.get());
            spec.commandLine()
                    .getOut()
                    .println("security server " + server.config().serverId() + " running: client proxy on http://"
                            + server.config().clientProxyHost() + ":" + server.clientProxyPort()
                            + (server.clientProxyHttpsPort() > 0
                                    ? " and https://" + server.config().clientProxyHost() + ":"
                                            + server.clientProxyHttpsPort()
                                    : "")
                            + ", server proxy on "
                            + server.config().address() + " (Ctrl-C to stop)");
            spec.commandLine().getOut().flush();
            UntilStopped.run(server);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Registration, global configuration and certificates; exit 0 only when ready for traffic.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Dir dir;

        @Mixin
        Options.Json json;

        @Override
        public Integer call() {
            ServerStatus status = SecurityServer.readStatus(ServerConfig.load(dir.dir));
            PrintWriter out = spec.commandLine().getOut();
            if (json.json) {
                JsonOutput.print(out, statusJson(status));
            } else {
                printText(out, status);
            }
            return status.ready() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }

        private static void printText(PrintWriter out, ServerStatus s) {
            GlobalConfClient.Status conf = s.globalConf();
            out.println("server:        " + s.serverId());
            out.println("registration:  "
                    + (s.registration() == null
                            ? "unknown"
                            : s.registration().state()
                                    + (s.registration().reason() == null
                                            ? ""
                                            : " (" + s.registration().reason() + ")"))
                    + (s.registrationError() == null ? "" : "  [registry: " + s.registrationError() + "]"));
            out.println("global conf:   "
                    + (!conf.present()
                            ? "none yet"
                            : (conf.valid() ? "valid" : "EXPIRED") + ", serial " + conf.serial() + ", expires "
                                    + conf.expiresAt()));
            if (conf.lastError() != null) {
                out.println("last error:    " + conf.lastError());
            }
            out.println("listed:        " + (s.listedInGlobalConf() ? "yes, with this auth certificate" : "no"));
            out.println("auth cert:     sha256 " + s.authCertificateHash() + ", expires " + s.authCertificateExpiry());
            out.println("sign cert:     expires " + s.signCertificateExpiry());
            out.println("ready:         " + (s.ready() ? "yes" : "no"));
        }
    }

    static ObjectNode registrationJson(RegistrationState state) {
        ObjectNode node = JsonOutput.object()
                .put("id", state.id())
                .put("serverId", state.serverId())
                .put("state", state.state());
        if (state.reason() != null) {
            node.put("reason", state.reason());
        }
        return node;
    }

    static ObjectNode statusJson(ServerStatus s) {
        GlobalConfClient.Status conf = s.globalConf();
        ObjectNode node =
                JsonOutput.object().put("serverId", s.serverId().toString()).put("ready", s.ready());
        if (s.registration() != null) {
            node.set("registration", registrationJson(s.registration()));
        }
        if (s.registrationError() != null) {
            node.put("registrationError", s.registrationError());
        }
        ObjectNode c =
                node.putObject("globalConf").put("present", conf.present()).put("valid", conf.valid());
        if (conf.present()) {
            c.put("serial", conf.serial())
                    .put("generatedAt", conf.generatedAt().toString())
                    .put("expiresAt", conf.expiresAt().toString());
        }
        if (conf.lastError() != null) {
            c.put("lastError", conf.lastError());
        }
        node.put("listedInGlobalConf", s.listedInGlobalConf())
                .put("authCertificateHash", s.authCertificateHash())
                .put("authCertificateExpiry", s.authCertificateExpiry().toString())
                .put("signCertificateExpiry", s.signCertificateExpiry().toString());
        return node;
    }
}
