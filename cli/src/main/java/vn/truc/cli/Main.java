package vn.truc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** {@code truc}: the administrator's command for registries, security servers and the demo. */
@Command(
        name = "truc",
        mixinStandardHelpOptions = true,
        version = "truc 0.1.0",
        description = "Truc secure document exchange gateway: central registry, security servers, audit, demo.",
        subcommands = {
            RegistryCommand.class,
            ServerCommand.class,
            AuditCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:success",
            " 1:a check failed (e.g. a demo step)",
            " 2:usage error",
            " 3:configuration invalid or unreadable",
            " 4:invalid input (identifier, request, XML)",
            " 5:not found (member, server, request)",
            " 6:conflict (already exists, wrong state, outdated configuration)",
            " 7:security (signature, certificate, PIN, access)",
            " 8:unavailable (network, timeout, expired configuration)",
            " 9:database error",
            "70:internal error"
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Pooled HTTP connections must be dropped before a peer's idle timeout closes them
        // (timeouts.idle, 60 s by default); the JDK keeps them 20 minutes unless told otherwise.
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "20");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run commands through it and capture its writers. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            TrucException error = e instanceof TrucException t
                    ? t
                    : new TrucException(
                            Origin.CLI, vn.truc.core.error.ErrorCode.INTERNAL_ERROR, "internal error: " + e, e);
            commandLine.getErr().println("truc: " + error.describe());
            if (!(e instanceof TrucException)) {
                e.printStackTrace(commandLine.getErr());
            }
            return ExitCodes.of(error.code());
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
