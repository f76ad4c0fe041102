package vn.truc.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.io.AtomicFiles;
import vn.truc.registry.store.RegistryStore;

/** Creates a new registry directory: configuration, keys, database, trust services, anchor. */
public final class RegistrySetup {
    private RegistrySetup() {}

    /**
     * Initialises {@code dir} for {@code instance}, listening on {@code host:port}. Refuses to
     * touch a directory that already holds a registry.
     */
    public static RegistryConfig init(Path dir, String instance, String host, int port, char[] pin) {
        Path file = dir.resolve(RegistryConfig.FILE);
        if (Files.exists(file)) {
            throw new TrucException(
                    Origin.CLI, ErrorCode.ALREADY_EXISTS, dir + " already holds a registry (" + file + ")");
        }
        String properties = "# Truc central registry; see conf/registry.properties for every key.\n"
                + "instance = " + instance + "\n"
                + "http.host = " + host + "\n"
                + "http.port = " + port + "\n";
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file, properties.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TrucException(Origin.CLI, ErrorCode.INVALID_CONFIG, "cannot write " + file + ": " + e);
        }
        RegistryConfig config = RegistryConfig.load(dir);
        vn.truc.core.id.GlobalGroupId.parse(instance + "/check"); // validates the instance code
        RegistryKeys keys =
                RegistryKeys.create(config.keysDir(), instance, config.ocspUrl().toString(), pin);
        writePem(
                config.confSigningCertificateFile(),
                Certificates.toPem(keys.confSigning().certificate()));
        writePem(config.caCertificateFile(), Certificates.toPem(keys.ca().certificate()));
        try (Database db =
                Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword(), "registry")) {
            RegistryStore store = new RegistryStore(db, instance);
            if (config.caEnabled()) {
                store.addCertificationAuthority(
                        instance + " Truc CA",
                        keys.ca().certificate(),
                        config.ocspEnabled() ? config.ocspUrl().toString() : null);
            }
            if (config.tsaEnabled()) {
                store.addTimestampingAuthority(
                        instance + " Truc TSA",
                        config.tsaUrl().toString(),
                        keys.tsa().certificate());
            }
        }
        CentralRegistry.writeAnchor(config, keys.confSigning().certificate());
        return config;
    }

    private static void writePem(Path file, String pem) {
        try {
            AtomicFiles.write(file, pem.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new TrucException(Origin.CLI, ErrorCode.INTERNAL_ERROR, "cannot write " + file + ": " + e);
        }
    }
}
