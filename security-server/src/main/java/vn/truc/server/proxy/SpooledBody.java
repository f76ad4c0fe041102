package vn.truc.server.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A body on disk with its size and base64 SHA-256 digest; deleted once it has been passed on. */
record SpooledBody(Path file, long size, String digest) implements AutoCloseable {
    InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    byte[] readAll() throws IOException {
        return Files.readAllBytes(file);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: the spool directory is also emptied at start
        }
    }
}
