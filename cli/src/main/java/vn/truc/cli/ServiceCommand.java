package vn.truc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vn.truc.core.id.ServiceId;
import vn.truc.server.ServerConfig;
import vn.truc.server.store.LocalService;
import vn.truc.server.store.Protocol;
import vn.truc.server.store.ServerDatabases;
import vn.truc.server.store.ServerStore;
import vn.truc.server.store.ServiceStore;

/** {@code truc server service ...}: the services a security server provides for its subsystems. */
@Command(
        name = "service",
        mixinStandardHelpOptions = true,
        description = "Add, list, disable and enable the services this security server provides.",
        subcommands = {
            ServiceCommand.Add.class,
            ServiceCommand.ListServices.class,
            ServiceCommand.Disable.class,
            ServiceCommand.Enable.class
        })
final class ServiceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Opens the database of the server in {@code dir}, the one its configuration names, after
     * checking that it is a server directory; works whether the server runs or not, and a running
     * server sees the change on its next request.
     */
    static ServerStore open(ServerCommand.Dir dir) {
        ServerConfig config = ServerConfig.load(dir.dir);
        return new ServerStore(ServerDatabases.open(
                config.databaseUrl(), ServerDatabases.DEFAULT_USER, ServerDatabases.DEFAULT_PASSWORD));
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a service and its backend.")
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Parameters(
                index = "0",
                paramLabel = "SERVICE",
                description = "Service id, e.g. VN/GOV/000.00.00.H41/DMS/getDocument/v1")
        String service;

        @Option(names = "--url", required = true, description = "The backend's absolute http(s) URL")
        String url;

        @Option(names = "--protocol", defaultValue = "rest", description = "rest or soap (default: ${DEFAULT-VALUE})")
        String protocol;

        @Override
        public Integer call() {
            ServiceId id = ServiceId.parse(service);
            Protocol parsedProtocol = Protocol.parse(protocol);
            try (ServerStore store = open(dir)) {
                LocalService added = store.services().addService(id, ServiceStore.backendUrl(url), parsedProtocol);
                spec.commandLine()
                        .getOut()
                        .println("added " + added.id() + " -> " + added.backend() + " (" + added.protocol() + ")");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the services and their backends.")
    static final class ListServices implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Mixin
        Options.Json json;

        @Override
        public Integer call() {
            try (ServerStore store = open(dir)) {
                PrintWriter out = spec.commandLine().getOut();
                ArrayNode array = JsonOutput.MAPPER.createArrayNode();
                for (LocalService s : store.services().listServices()) {
                    if (json.json) {
                        array.add(JsonOutput.object()
                                .put("id", s.id().toString())
                                .put("backend", s.backend().toString())
                                .put("protocol", s.protocol().name())
                                .put("enabled", s.enabled()));
                    } else {
                        out.printf(
                                "%s  %s  %s  %s%n",
                                s.id(), s.protocol(), s.enabled() ? "enabled " : "DISABLED", s.backend());
                    }
                }
                if (json.json) {
                    JsonOutput.print(out, array);
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "disable",
            mixinStandardHelpOptions = true,
            description = "Stop calling a service's backend; callers get service_disabled. Access rules stay.")
    static final class Disable implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Parameters(index = "0", paramLabel = "SERVICE", description = "Service id")
        String service;

        @Override
        public Integer call() {
            ServiceId id = ServiceId.parse(service);
            try (ServerStore store = open(dir)) {
                store.services().disableService(id);
            }
            spec.commandLine().getOut().println("disabled " + id);
            return ExitCodes.OK;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Call a disabled service's backend again.")
    static final class Enable implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Parameters(index = "0", paramLabel = "SERVICE", description = "Service id")
        String service;

        @Override
        public Integer call() {
            ServiceId id = ServiceId.parse(service);
            try (ServerStore store = open(dir)) {
                store.services().enableService(id);
            }
            spec.commandLine().getOut().println("enabled " + id);
            return ExitCodes.OK;
        }
    }
}
