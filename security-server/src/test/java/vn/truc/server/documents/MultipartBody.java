package vn.truc.server.documents;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import vn.truc.core.message.BodyDigest;

/**
 * A {@code multipart/form-data} body written part by part into a file, as curl {@code -F} writes it:
 * CRLF line ends, a {@code Content-Disposition} per part, a closing delimiter. Written by hand so the
 * reader is judged against the RFC 7578 wire form, not against Netty's own encoder.
 */
final class MultipartBody implements AutoCloseable {
    static final String BOUNDARY = "------------------------truc7578boundary";
    static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private final OutputStream out;
    private boolean started;

    MultipartBody(Path file) {
        try {
            out = Files.newOutputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A form field ({@code -F name=value}), no filename. */
    MultipartBody field(String name, String value) {
        head("form-data; name=\"" + name + "\"", null);
        write(value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A JSON part ({@code -F 'metadata=<meta.json;type=application/json'}). */
    MultipartBody json(String name, String json) {
        head("form-data; name=\"" + name + "\"", "application/json");
        write(json.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A file part ({@code -F file=@name}) holding {@code content}. */
    MultipartBody file(String part, String filename, byte[] content) {
        return file(part, filename, ignored -> write(content));
    }

    /** A file part whose bytes {@code content} writes straight to the body (large files). */
    MultipartBody file(String part, String filename, Consumer<OutputStream> content) {
        head("form-data; name=\"" + part + "\"; filename=\"" + filename + "\"", "application/octet-stream");
        content.accept(out);
        return this;
    }

    private void head(String disposition, String contentType) {
        // The CRLF before a delimiter belongs to the delimiter, not to the previous part's content.
        StringBuilder head =
                new StringBuilder(started ? "\r\n--" : "--").append(BOUNDARY).append("\r\n");
        started = true;
        head.append("Content-Disposition: ").append(disposition).append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("\r\n");
        write(head.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the last part and writes the closing delimiter. */
    @Override
    public void close() {
        try (out) {
            write(((started ? "\r\n--" : "--") + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] content) {
        return BodyDigest.of(content);
    }
}
