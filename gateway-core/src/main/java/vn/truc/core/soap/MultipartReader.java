package vn.truc.core.soap;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * Splits a multipart body (RFC 2046 section 5.1.1) into parts, strictly and within limits. Written for
 * Truc because the MIME parser on the classpath (BouncyCastle's {@code org.bouncycastle.mime}) accepts a
 * body cut off before its closing boundary and buffers lines without bound.
 *
 * <p>Strict means: line breaks are CRLF; a boundary line is the boundary then optional white space then
 * CRLF, or the boundary then {@code --}; a body that ends before its closing boundary is refused; part
 * headers are ASCII lines with a name and a colon. Bounded means: at most {@code maxParts} parts of at
 * most {@code maxPartBytes} content each, and {@value #MAX_HEADER_BYTES} bytes each for one part's
 * headers, the preamble, the epilogue and boundary padding.
 */
final class MultipartReader {
    static final int MAX_HEADER_BYTES = 8192;
    private static final Set<String> SINGLE = Set.of("content-type", "content-id", "content-transfer-encoding");

    /** One part: its header fields (names lower-case, values trimmed) and its content as sent. */
    record RawPart(Map<String, String> headers, byte[] content) {}

    private final InputStream in;
    private final byte[] delimiter;
    private final long maxParts;
    private final long maxPartBytes;

    MultipartReader(InputStream in, String boundary, long maxParts, long maxPartBytes) {
        this.in = new BufferedInputStream(in);
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.maxParts = maxParts;
        this.maxPartBytes = maxPartBytes;
    }

    List<RawPart> read() throws IOException {
        scan(new Sink(MAX_HEADER_BYTES, "the preamble before the first boundary", false));
        List<RawPart> parts = new ArrayList<>();
        while (!closeDelimiter()) {
            if (parts.size() == maxParts) {
                throw tooLarge("the multipart body has more than " + maxParts + " parts");
            }
            String name = "MIME part " + (parts.size() + 1);
            Map<String, String> headers = headers(name);
            Sink content = new Sink(maxPartBytes, name, true);
            scan(content);
            parts.add(new RawPart(headers, content.bytes()));
        }
        Sink epilogue = new Sink(MAX_HEADER_BYTES, "the epilogue after the closing boundary", false);
        for (int b = in.read(); b >= 0; b = in.read()) {
            epilogue.write(b);
        }
        return parts;
    }

    /**
     * Copies bytes to {@code sink} up to the next delimiter (CRLF, "--", boundary), which it consumes. Scanning
     * starts just after a CRLF (the start of the body, the end of a header block), so a delimiter may open
     * what is scanned; those two assumed bytes are never copied. CR occurs in the delimiter only at its
     * start, so after a mismatch the only possible new start is the current byte.
     */
    private void scan(Sink sink) throws IOException {
        int matched = 2;
        int assumed = 2;
        while (matched < delimiter.length) {
            int b = in.read();
            if (b < 0) {
                throw SoapEnvelope.invalid(
                        "the multipart body ends inside " + sink.what + ", before its closing boundary");
            }
            if (b == delimiter[matched]) {
                matched++;
                continue;
            }
            sink.write(delimiter, assumed, matched - assumed);
            assumed = 0;
            if (b == '\r') {
                matched = 1;
            } else {
                matched = 0;
                sink.write(b);
            }
        }
    }

    /** Reads what follows a delimiter: true for the closing {@code --}, false for CRLF before a part. */
    private boolean closeDelimiter() throws IOException {
        int b = in.read();
        if (b == '-') {
            if (in.read() != '-') {
                throw SoapEnvelope.invalid("a multipart boundary line is malformed: a single '-' after the boundary");
            }
            return true;
        }
        for (int padding = 0; b == ' ' || b == '\t'; b = in.read()) {
            if (++padding > MAX_HEADER_BYTES) {
                throw tooLarge("a multipart boundary line is padded with more than " + MAX_HEADER_BYTES + " bytes");
            }
        }
        if (b != '\r' || in.read() != '\n') {
            throw SoapEnvelope.invalid("a multipart boundary line is malformed: the boundary must be followed by "
                    + "CRLF or '--' (a line in a part may not begin with the boundary)");
        }
        return false;
    }

    private Map<String, String> headers(String part) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int budget = MAX_HEADER_BYTES;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw SoapEnvelope.invalid("the multipart body ends inside the headers of " + part);
            }
            if (--budget < 0) {
                throw tooLarge("the headers of " + part + " are longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw SoapEnvelope.invalid("the headers of " + part + " hold a CR not followed by LF");
                }
                budget--;
                if (line.size() == 0) {
                    return fields(lines, part);
                }
                unfold(lines, line.toString(StandardCharsets.ISO_8859_1), part);
                line.reset();
            } else if ((b < 0x20 && b != '\t') || b == 0x7F) {
                throw SoapEnvelope.invalid("the headers of " + part + " hold control character 0x"
                        + Integer.toHexString(b) + " (lines must end with CRLF)");
            } else {
                line.write(b);
            }
        }
    }

    private static void unfold(List<String> lines, String line, String part) {
        if (line.charAt(0) != ' ' && line.charAt(0) != '\t') {
            lines.add(line);
        } else if (lines.isEmpty()) {
            throw SoapEnvelope.invalid("the headers of " + part + " begin with a continuation line");
        } else {
            lines.set(lines.size() - 1, lines.get(lines.size() - 1) + line);
        }
    }

    private static Map<String, String> fields(List<String> lines, String part) {
        Map<String, String> fields = new HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon);
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                throw SoapEnvelope.invalid("the headers of " + part + " hold a line that is not 'Name: value'");
            }
            name = name.toLowerCase(Locale.ROOT);
            if (fields.putIfAbsent(name, line.substring(colon + 1).strip()) != null && SINGLE.contains(name)) {
                throw SoapEnvelope.invalid("the headers of " + part + " repeat " + name);
            }
        }
        return fields;
    }

    private static TrucException tooLarge(String message) {
        return new TrucException(Origin.CLIENT, ErrorCode.BODY_TOO_LARGE, message);
    }

    /** Counts what is written against a limit; keeps it only when asked to. */
    private static final class Sink {
        final String what;
        private final long limit;
        private final ByteArrayOutputStream kept;
        private long count;

        Sink(long limit, String what, boolean keep) {
            this.limit = limit;
            this.what = what;
            this.kept = keep ? new ByteArrayOutputStream() : null;
        }

        void write(int b) {
            count(1);
            if (kept != null) {
                kept.write(b);
            }
        }

        void write(byte[] bytes, int offset, int length) {
            count(length);
            if (kept != null) {
                kept.write(bytes, offset, length);
            }
        }

        byte[] bytes() {
            return kept.toByteArray();
        }

        private void count(int more) {
            count += more;
            if (count > limit) {
                throw tooLarge(what + " is larger than " + limit + " bytes");
            }
        }
    }
}
