package vn.truc.core.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import vn.truc.core.crypto.Digests;

/**
 * The {@link MessageManifest#bodyDigest()} of a body: base64 SHA-256 of the bytes as sent.
 *
 * <p>An instance wraps the stream a body is spooled to and hashes every byte that passes, so a
 * body of any size is digested in the same pass that stores it: {@code in.transferTo(digest)},
 * close, then {@link #value()}.
 */
public final class BodyDigest extends OutputStream {
    private final OutputStream out;
    private final MessageDigest sha256 = newSha256();
    private long length;
    private String value;

    /** Hashes what is written and passes it on to {@code out}. */
    public BodyDigest(OutputStream out) {
        this.out = out;
    }

    /** Hashes what is written and keeps nothing. */
    public BodyDigest() {
        this(OutputStream.nullOutputStream());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (value != null) {
            throw new IOException("body digest already taken; nothing more may be written");
        }
        out.write(b, off, len);
        sha256.update(b, off, len);
        length += len;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Number of bytes written so far. */
    public long length() {
        return length;
    }

    /** The digest of everything written; after this call nothing more may be written. */
    public String value() {
        if (value == null) {
            value = Base64.getEncoder().encodeToString(sha256.digest());
        }
        return value;
    }

    /** The digest of a body spooled to {@code file}. */
    public static String of(Path file) throws IOException {
        BodyDigest digest = new BodyDigest();
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(digest);
        }
        return digest.value();
    }

    /** The digest of a body held in memory (small bodies, tests). */
    public static String of(byte[] body) {
        return Base64.getEncoder().encodeToString(Digests.sha256(body));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
