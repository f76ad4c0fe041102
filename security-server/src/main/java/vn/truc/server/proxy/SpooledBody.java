package vn.truc.server.proxy;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.message.BodyDigest;

/**
 * A received body with its size and base64 SHA-256 digest: a small one in memory ({@code bytes}),
 * a larger one on disk ({@code file}, deleted once it has been passed on). Exactly one of the two
 * is set.
 */
// The bytes are never changed once spooled; copying each body would cost more than it protects.
@SuppressWarnings("ArrayRecordComponent")
record SpooledBody(Path file, byte[] bytes, long size, String digest) implements AutoCloseable {
    SpooledBody {
        if ((file == null) == (bytes == null)) {
            throw new IllegalArgumentException("a body is either in a file or in memory");
        }
    }

    /** A body on disk. */
    static SpooledBody inFile(Path file, long size, String digest) {
        return new SpooledBody(file, null, size, digest);
    }

    /** A body the gateway made itself, kept as it is. */
    static SpooledBody of(byte[] bytes) {
        return new SpooledBody(null, bytes, bytes.length, BodyDigest.of(bytes));
    }

    boolean inMemory() {
        return bytes != null;
    }

    InputStream open() throws IOException {
        return inMemory() ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    byte[] readAll() throws IOException {
        return inMemory() ? bytes : Files.readAllBytes(file);
    }

    /** The body as an HTTP client sends it. */
    HttpRequest.BodyPublisher publisher() {
        if (inMemory()) {
            return HttpRequest.BodyPublishers.ofByteArray(bytes);
        }
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new TrucException(Origin.SERVER, ErrorCode.INTERNAL_ERROR, "spooled body vanished: " + file);
        }
    }

    @Override
    public void close() {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: the spool directory is also emptied at start
        }
    }
}
