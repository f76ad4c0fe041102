package vn.truc.server;

import java.nio.file.Path;

/** Where a security server keeps what: one place that names every file in its directory. */
public record ServerDir(Path dir) {
    public Path propertiesFile() {
        return dir.resolve(ServerConfig.FILE);
    }

    public Path anchorFile() {
        return dir.resolve("anchor.xml");
    }

    public Path keysDir() {
        return dir.resolve("keys");
    }

    public Path authKeyFile() {
        return keysDir().resolve("auth.p12");
    }

    public Path signKeyFile() {
        return keysDir().resolve("sign.p12");
    }

    public Path authCertificateFile() {
        return keysDir().resolve("auth.pem");
    }

    public Path signCertificateFile() {
        return keysDir().resolve("sign.pem");
    }

    /** The member's document-encryption key, PIN-protected; peers encrypt documents to its certificate. */
    public Path encryptKeyFile() {
        return keysDir().resolve("encrypt.p12");
    }

    public Path encryptCertificateFile() {
        return keysDir().resolve("encrypt.pem");
    }

    /** Documents waiting to be delivered (outbox) and received documents (inbox), one file each. */
    public Path documentsDir() {
        return dir.resolve("documents");
    }

    /** The client proxy's HTTPS key (see {@link InternalTls}), PIN-protected. */
    public Path internalTlsKeyFile() {
        return keysDir().resolve("internal-tls.p12");
    }

    /** The client proxy's HTTPS certificate, which information systems pin. */
    public Path internalTlsCertificateFile() {
        return keysDir().resolve("internal-tls.pem");
    }

    public Path registrationFile() {
        return dir.resolve("registration.json");
    }

    public Path globalConfDir() {
        return dir.resolve("globalconf");
    }

    /** Where bodies wait on disk while they are checked, signed and logged. */
    public Path spoolDir() {
        return dir.resolve("spool");
    }
}
