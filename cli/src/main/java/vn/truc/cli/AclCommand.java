package vn.truc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import vn.truc.core.id.ServiceId;
import vn.truc.server.store.AccessRule;
import vn.truc.server.store.AccessSubject;
import vn.truc.server.store.ServerStore;

/** {@code truc server acl ...}: who may call the services of a security server. */
@Command(
        name = "acl",
        mixinStandardHelpOptions = true,
        description = "Grant, revoke and list access rights to this security server's services.",
        subcommands = {AclCommand.Grant.class, AclCommand.Revoke.class, AclCommand.ListRules.class})
final class AclCommand implements Runnable {
    private static final String SUBJECT_HELP = "Who: a subsystem (VN/GOV/000.00.00.G22/DMS), a local group"
            + " (local:CODE) or a global group (global:VN/CODE)";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Let a client or group call a service.")
    static final class Grant implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Parameters(
                index = "0",
                paramLabel = "SERVICE",
                description = "Service id, e.g. VN/GOV/000.00.00.H41/DMS/getDocument/v1")
        String service;

        @Parameters(index = "1", paramLabel = "SUBJECT", description = SUBJECT_HELP)
        String subject;

        @Override
        public Integer call() {
            ServiceId id = ServiceId.parse(service);
            AccessSubject who = AccessSubject.parse(subject);
            try (ServerStore store = ServiceCommand.open(dir)) {
                store.accessRules().grant(id, who);
            }
            spec.commandLine().getOut().println("granted " + who + " access to " + id);
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Take a granted access right back.")
    static final class Revoke implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Parameters(index = "0", paramLabel = "SERVICE", description = "Service id")
        String service;

        @Parameters(index = "1", paramLabel = "SUBJECT", description = SUBJECT_HELP)
        String subject;

        @Override
        public Integer call() {
            ServiceId id = ServiceId.parse(service);
            AccessSubject who = AccessSubject.parse(subject);
            try (ServerStore store = ServiceCommand.open(dir)) {
                store.accessRules().revoke(id, who);
            }
            spec.commandLine().getOut().println("revoked access of " + who + " to " + id);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the access rights of one service, or of all services.")
    static final class ListRules implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ServerCommand.Dir dir;

        @Mixin
        Options.Json json;

        @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", description = "Only this service")
        String service;

        @Override
        public Integer call() {
            ServiceId id = service == null ? null : ServiceId.parse(service);
            List<AccessRule> rules;
            try (ServerStore store = ServiceCommand.open(dir)) {
                rules = id == null
                        ? store.accessRules().allRules()
                        : store.accessRules().rules(id);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json.json) {
                ArrayNode array = JsonOutput.MAPPER.createArrayNode();
                for (AccessRule r : rules) {
                    array.add(JsonOutput.object()
                            .put("service", r.service().toString())
                            .put("subject", r.subject().toString())
                            .put("grantedAt", r.grantedAt().toString()));
                }
                JsonOutput.print(out, array);
            } else {
                for (AccessRule r : rules) {
                    out.println(r.service() + "  " + r.subject() + "  since " + r.grantedAt());
                }
            }
            return ExitCodes.OK;
        }
    }
}
