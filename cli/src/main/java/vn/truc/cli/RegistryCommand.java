package vn.truc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.registry.CentralRegistry;
import vn.truc.registry.RegistryAdmin;
import vn.truc.registry.RegistryConfig;
import vn.truc.registry.RegistrySetup;
import vn.truc.registry.store.Registration;

/** {@code truc registry ...}: the central registry. */
@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description = "Create, run and administer the central registry.",
        subcommands = {
            RegistryCommand.Init.class,
            RegistryCommand.Start.class,
            RegistryCommand.Member.class,
            RegistryCommand.Server.class,
            TrustServiceCommands.Ca.class,
            TrustServiceCommands.Tsa.class
        })
final class RegistryCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static ObjectNode registrationJson(Registration r) {
        ObjectNode node = JsonOutput.object()
                .put("id", r.id())
                .put("serverId", r.serverId().toString())
                .put("address", r.address())
                .put("state", r.state().name())
                .put("authCertHash", r.authCertHash())
                .put("createdAt", r.createdAt().toString());
        if (r.reason() != null) {
            node.put("reason", r.reason());
        }
        return node;
    }

    /** The registry directory, shared by every registry command. */
    static final class Dir {
        @Option(
                names = "--dir",
                defaultValue = "registry",
                description = "Registry directory (default: ${DEFAULT-VALUE})")
        Path dir;

        RegistryConfig config() {
            return RegistryConfig.load(dir);
        }
    }

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = "Create a registry: keys, CA, OCSP, TSA, database, anchor.")
    static final class Init implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Dir dir;

        @Mixin
        Options.Pin pin;

        @Option(
                names = "--instance",
                defaultValue = "VN",
                description = "Federation instance code (default: ${DEFAULT-VALUE})")
        String instance;

        @Option(
                names = "--host",
                defaultValue = "127.0.0.1",
                description = "Address to listen on (default: ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--port", defaultValue = "4000", description = "HTTP port (default: ${DEFAULT-VALUE})")
        int port;

        @Override
        public Integer call() {
            RegistryConfig config = RegistrySetup.init(dir.dir, instance, host, port, pin.get());
            PrintWriter out = spec.commandLine().getOut();
            out.println("registry of instance " + config.instance() + " created in " + config.dir());
            out.println("anchor for security servers: " + config.anchorFile());
            out.println("configuration-signing certificate: " + config.confSigningCertificateFile());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Run the registry until stopped (Ctrl-C or SIGTERM).")
    static final class Start implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Dir dir;

        @Mixin
        Options.Pin pin;

        @Override
        public Integer call() throws InterruptedException {
            CentralRegistry registry = CentralRegistry.start(dir.config(), pin.get());
            spec.commandLine().getOut().println("registry running at " + registry.url() + " (Ctrl-C to stop)");
            spec.commandLine().getOut().flush();
            UntilStopped.run(registry);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "member",
            mixinStandardHelpOptions = true,
            description = "Members of the federation.",
            subcommands = {MemberAdd.class, MemberList.class, MemberDocuments.class})
    static final class Member implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Add a member (and its subsystems); prints the enrolment token its security servers need.")
    static final class MemberAdd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Dir dir;

        @Mixin
        Options.Json json;

        @Parameters(index = "0", paramLabel = "MEMBER", description = "Member id, e.g. VN/GOV/000.00.00.G22")
        String member;

        @Option(names = "--name", required = true, description = "The agency's name")
        String name;

        @Option(names = "--subsystem", description = "A subsystem code to add (repeatable), e.g. DMS")
        java.util.List<String> subsystems = new java.util.ArrayList<>();

        @Option(
                names = "--documents",
                paramLabel = "SUBSYSTEM",
                description = "The subsystem that receives the member's documents; one of the --subsystem codes")
        String documents;

        @Override
        public Integer call() {
            ClientId id = ClientId.parseMember(member);
            if (documents != null && !subsystems.contains(documents)) {
                throw new TrucException(
                        Origin.CLI,
                        ErrorCode.INVALID_REQUEST,
                        "--documents: '" + documents + "' (expected: one of the --subsystem codes"
                                + (subsystems.isEmpty()
                                        ? ", and none was given)"
                                        : ": " + String.join(", ", subsystems) + ")"));
            }
            try (RegistryAdmin admin = RegistryAdmin.open(dir.config())) {
                String token = admin.addMember(id, name);
                subsystems.forEach(s -> admin.addSubsystem(id.subsystem(s)));
                if (documents != null) {
                    admin.setDocumentSubsystem(id.subsystem(documents));
                }
                PrintWriter out = spec.commandLine().getOut();
                if (json.json) {
                    JsonOutput.print(
                            out,
                            JsonOutput.object()
                                    .put("member", id.toString())
                                    .put("enrolmentToken", token)
                                    .put("documents", documents));
                } else {
                    out.println("member " + id + " added");
                    if (documents != null) {
                        out.println("documents for " + id + " go to subsystem " + documents);
                    }
                    out.println("enrolment token (give it to the member's server administrator; shown once): " + token);
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "documents",
            mixinStandardHelpOptions = true,
            description = "Name the subsystem that receives a member's documents (--subsystem), or none (--none).")
    static final class MemberDocuments implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Dir dir;

        @Parameters(index = "0", paramLabel = "MEMBER", description = "Member id, e.g. VN/GOV/000.00.00.G22")
        String member;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        /** Exactly one of the two. */
        static final class Target {
            @Option(
                    names = "--subsystem",
                    required = true,
                    paramLabel = "CODE",
                    description = "One of the member's subsystems, e.g. DMS")
            String subsystem;

            @Option(names = "--none", required = true, description = "The member receives no documents")
            boolean none;
        }

        @Override
        public Integer call() {
            ClientId id = ClientId.parseMember(member);
            try (RegistryAdmin admin = RegistryAdmin.open(dir.config())) {
                PrintWriter out = spec.commandLine().getOut();
                if (target.subsystem != null) {
                    admin.setDocumentSubsystem(id.subsystem(target.subsystem));
                    out.println("documents for " + id + " go to subsystem " + target.subsystem);
                } else {
                    admin.clearDocumentSubsystem(id);
                    out.println(id + " receives no documents");
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List members, their subsystems and the one that receives documents.")
    static final class MemberList implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Dir dir;

        @Mixin
        Options.Json json;

        @Override
        public Integer call() {
            try (RegistryAdmin admin = RegistryAdmin.open(dir.config())) {
                PrintWriter out = spec.commandLine().getOut();
                if (json.json) {
                    ArrayNode array = JsonOutput.MAPPER.createArrayNode();
                    for (GlobalConf.Member m : admin.members()) {
                        ObjectNode node =
                                array.addObject().put("id", m.id().toString()).put("name", m.name());
                        m.subsystems().forEach(node.putArray("subsystems")::add);
                        node.put("documents", m.documentSubsystem());
                        node.put(
                                "encryptionCertificates",
                                m.encryptionCertificates().size());
                    }
                    JsonOutput.print(out, array);
                } else {
                    for (GlobalConf.Member m : admin.members()) {
                        out.println(m.id() + "  " + m.name()
                                + (m.subsystems().isEmpty() ? "" : "  subsystems: " + String.join(", ", m.subsystems()))
                                + (m.documentSubsystem() == null ? "" : "  documents: " + m.documentSubsystem()));
                    }
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "server",
            mixinStandardHelpOptions = true,
            description = "Security servers and their registration requests.",
            subcommands = {ServerList.class, ServerApprove.class, ServerReject.class})
    static final class Server implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List registration requests and their state.")
    static final class ServerList implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Dir dir;

        @Mixin
        Options.Json json;

        @Option(names = "--pending", description = "Only requests waiting for a decision")
        boolean pendingOnly;

        @Override
        public Integer call() {
            try (RegistryAdmin admin = RegistryAdmin.open(dir.config())) {
                PrintWriter out = spec.commandLine().getOut();
                ArrayNode array = JsonOutput.MAPPER.createArrayNode();
                for (Registration r : admin.registrations()) {
                    if (pendingOnly && r.state() != Registration.State.PENDING) {
                        continue;
                    }
                    if (json.json) {
                        array.add(registrationJson(r));
                    } else {
                        out.printf(
                                "%d  %-9s %s  %s  auth %s…%s%n",
                                r.id(),
                                r.state(),
                                r.serverId(),
                                r.address(),
                                r.authCertHash().substring(0, 16),
                                r.reason() == null ? "" : "  reason: " + r.reason());
                    }
                }
                if (json.json) {
                    JsonOutput.print(out, array);
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a pending registration request.")
    static final class ServerApprove implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Dir dir;

        @Parameters(
                index = "0",
                paramLabel = "REQUEST",
                description = "Registration request id (see 'truc registry server list')")
        long id;

        @Override
        public Integer call() {
            try (RegistryAdmin admin = RegistryAdmin.open(dir.config())) {
                Registration r = admin.approve(id);
                spec.commandLine().getOut().println("approved: " + r.serverId() + " at " + r.address());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a pending registration request.")
    static final class ServerReject implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Dir dir;

        @Parameters(index = "0", paramLabel = "REQUEST", description = "Registration request id")
        long id;

        @Option(names = "--reason", required = true, description = "Why; the server's administrator is told")
        String reason;

        @Override
        public Integer call() {
            try (RegistryAdmin admin = RegistryAdmin.open(dir.config())) {
                Registration r = admin.reject(id, reason);
                spec.commandLine().getOut().println("rejected: " + r.serverId() + " (" + reason + ")");
            }
            return ExitCodes.OK;
        }
    }
}
