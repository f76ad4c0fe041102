package vn.truc.server.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Predicate;
import vn.truc.core.audit.LoggedContent;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.io.AtomicFiles;
import vn.truc.server.ServerConfig;

/**
 * The contents of logged messages, for the subsystems that log them in full ({@code truc server
 * client log-content SUBSYSTEM full}): each content is sealed for the operator's certificate
 * ({@code audit.content-certificate}) into {@code <sha256>.cms} in {@code audit.content-dir}, before
 * the record that names it is appended, so no record claims a content that was not kept. The
 * server never holds the key that opens them.
 */
public final class ContentLog {
    /** What opens a content to be logged; called at most once per {@link #keep}. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private final Path dir;
    private final X509Certificate certificate;
    private final Predicate<ClientId> logsContent;

    /**
     * @param certificate the operator's certificate; null when none is configured
     * @param logsContent whether a local subsystem logs the content of its messages
     */
    public ContentLog(Path dir, X509Certificate certificate, Predicate<ClientId> logsContent) {
        this.dir = dir;
        this.certificate = certificate;
        this.logsContent = logsContent;
    }

    /**
     * The content log {@code audit} configures, reading the operator's certificate if one is set;
     * what a stop left half-written (temporary files, never a kept content) is deleted.
     */
    public static ContentLog of(ServerConfig.Audit audit, Predicate<ClientId> logsContent) {
        Path dir = audit.contentDir();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> partial = Files.newDirectoryStream(dir, ".*.tmp")) {
                for (Path file : partial) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new TrucException(
                        Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot clean content log " + dir + ": " + e, e);
            }
        }
        return new ContentLog(dir, certificate(audit), logsContent);
    }

    /** The operator's certificate {@code audit} names, or null when it names none. */
    public static X509Certificate certificate(ServerConfig.Audit audit) {
        Path file = audit.contentCertificate();
        if (file == null) {
            return null;
        }
        try {
            return Certificates.fromPem(Files.readString(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.INVALID_CONFIG,
                    "audit.content-certificate: cannot read a PEM certificate from " + file + " (" + e.getMessage()
                            + ")",
                    e);
        }
    }

    /**
     * Whether the content of messages of {@code subsystem} (one of this server's) is to be logged.
     *
     * @throws TrucException {@code invalid_config} when it is, but no operator certificate is set:
     *     the message is refused rather than logged without its content
     */
    public boolean wanted(ClientId subsystem) {
        if (!logsContent.test(subsystem)) {
            return false;
        }
        if (certificate == null) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.INVALID_CONFIG,
                    subsystem + " logs the content of its messages, but audit.content-certificate is not set"
                            + " (the message is refused)");
        }
        return true;
    }

    /**
     * Keeps the content with hex SHA-256 {@code sha256Hex}, read from {@code source}, unless it is
     * kept already; it is on disk when this returns.
     *
     * @throws TrucException {@code internal_error} if it cannot be written or is not that content
     */
    public void keep(String sha256Hex, Source source) {
        Path file = file(sha256Hex);
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file, out -> {
                try (InputStream in = source.open()) {
                    LoggedContent.seal(in, out, certificate, sha256Hex);
                }
            });
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.INTERNAL_ERROR,
                    "cannot log the message's content to " + file + ": " + e + " (the message is refused)",
                    e);
        }
    }

    /** The sealed content with hex SHA-256 {@code sha256Hex}, if it is kept. */
    public Optional<Path> find(String sha256Hex) {
        Path file = file(sha256Hex);
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    private Path file(String sha256Hex) {
        if (!sha256Hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a hex SHA-256: " + sha256Hex);
        }
        return dir.resolve(sha256Hex + ".cms");
    }
}
