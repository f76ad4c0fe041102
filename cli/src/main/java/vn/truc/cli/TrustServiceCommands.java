package vn.truc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.registry.RegistryAdmin;

/**
 * {@code truc registry ca ...} and {@code truc registry tsa ...}: the trust services the federation
 * approves, so a deployment can point at external CAs, OCSP responders and TSAs by URL.
 */
final class TrustServiceCommands {
    private TrustServiceCommands() {}

    @Command(
            name = "ca",
            mixinStandardHelpOptions = true,
            description = "Approved certification authorities and their OCSP responders.",
            subcommands = {CaAdd.class, CaSetOcsp.class, CaList.class})
    static final class Ca implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(
            name = "tsa",
            mixinStandardHelpOptions = true,
            description = "Approved RFC 3161 timestamping authorities.",
            subcommands = {TsaAdd.class, TsaList.class})
    static final class Tsa implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Approve a CA (e.g. an external one).")
    static final class CaAdd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryCommand.Dir dir;

        @Option(names = "--name", required = true, description = "The CA's name in the global configuration")
        String name;

        @Option(names = "--cert", required = true, description = "The CA's certificate (PEM)")
        Path cert;

        @Option(names = "--ocsp-url", required = true, description = "URL of the OCSP responder for its certificates")
        URI ocspUrl;

        @Override
        public Integer call() {
            try (RegistryAdmin admin = RegistryAdmin.open(dir.config())) {
                admin.addCertificationAuthority(name, readCertificate(cert), ocspUrl);
            }
            spec.commandLine().getOut().println("approved CA '" + name + "' with OCSP responder " + ocspUrl);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "set-ocsp",
            mixinStandardHelpOptions = true,
            description = "Point an approved CA at another OCSP responder, e.g. an external one.")
    static final class CaSetOcsp implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryCommand.Dir dir;

        @Option(names = "--name", required = true, description = "The CA's name (see 'truc registry ca list')")
        String name;

        @Option(names = "--url", required = true, description = "URL of the OCSP responder")
        URI url;

        @Override
        public Integer call() {
            try (RegistryAdmin admin = RegistryAdmin.open(dir.config())) {
                admin.setOcspUrl(name, url);
            }
            spec.commandLine().getOut().println("CA '" + name + "' now answered for by " + url);
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List approved CAs.")
    static final class CaList implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryCommand.Dir dir;

        @Mixin
        Options.Json json;

        @Override
        public Integer call() {
            try (RegistryAdmin admin = RegistryAdmin.open(dir.config())) {
                PrintWriter out = spec.commandLine().getOut();
                ArrayNode array = JsonOutput.MAPPER.createArrayNode();
                for (GlobalConf.CertificationAuthority ca : admin.certificationAuthorities()) {
                    array.addObject()
                            .put("name", ca.name())
                            .put(
                                    "subject",
                                    ca.certificate().getSubjectX500Principal().getName())
                            .put("sha256", Certificates.sha256Hex(ca.certificate()))
                            .put("ocspUrl", ca.ocspUrl());
                    if (!json.json) {
                        out.println(ca.name() + "  OCSP " + ca.ocspUrl() + "  sha256 "
                                + Certificates.sha256Hex(ca.certificate()));
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
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Approve a timestamping authority (e.g. an external one).")
    static final class TsaAdd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryCommand.Dir dir;

        @Option(names = "--name", required = true, description = "The TSA's name in the global configuration")
        String name;

        @Option(names = "--url", required = true, description = "The TSA's RFC 3161 URL")
        URI url;

        @Option(names = "--cert", required = true, description = "The TSA's signing certificate (PEM)")
        Path cert;

        @Override
        public Integer call() {
            try (RegistryAdmin admin = RegistryAdmin.open(dir.config())) {
                admin.addTimestampingAuthority(name, url, readCertificate(cert));
            }
            spec.commandLine().getOut().println("approved TSA '" + name + "' at " + url);
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List approved timestamping authorities.")
    static final class TsaList implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryCommand.Dir dir;

        @Mixin
        Options.Json json;

        @Override
        public Integer call() {
            try (RegistryAdmin admin = RegistryAdmin.open(dir.config())) {
                PrintWriter out = spec.commandLine().getOut();
                ArrayNode array = JsonOutput.MAPPER.createArrayNode();
                for (GlobalConf.TimestampingAuthority tsa : admin.timestampingAuthorities()) {
                    array.addObject().put("name", tsa.name()).put("url", tsa.url());
                    if (!json.json) {
                        out.println(tsa.name() + "  " + tsa.url());
                    }
                }
                if (json.json) {
                    JsonOutput.print(out, array);
                }
            }
            return ExitCodes.OK;
        }
    }

    private static X509Certificate readCertificate(Path file) {
        try {
            return Certificates.fromPem(Files.readString(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new TrucException(
                    Origin.CLI, ErrorCode.INVALID_REQUEST, file + ": not a PEM certificate (" + e.getMessage() + ")");
        }
    }
}
