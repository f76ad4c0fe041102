package vn.truc.core.soap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Writes multipart/related bodies for {@link MultipartSoap#build}; refuses what it cannot write unambiguously. */
final class MultipartWriter {
    /** RFC 2046 section 5.1.1: 1-70 bchars, the last not a space. */
    private static final Pattern BOUNDARY = Pattern.compile("[0-9A-Za-z'()+_,./:=? -]{0,69}[0-9A-Za-z'()+_,./:=?-]");

    private MultipartWriter() {}

    static boolean isBoundary(String boundary) {
        return boundary != null && BOUNDARY.matcher(boundary).matches();
    }

    static void checkBoundary(String boundary) {
        if (!isBoundary(boundary)) {
            throw new IllegalArgumentException(
                    "boundary must be 1-70 RFC 2046 bchars, not ending in space: " + boundary);
        }
    }

    static byte[] write(String boundary, byte[] soapPart, List<MultipartSoap.Attachment> attachments) {
        checkBoundary(boundary);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String root = MultipartSoap.ROOT_CONTENT_ID;
        part(out, boundary, "text/xml; charset=UTF-8", "8bit", root, soapPart);
        for (MultipartSoap.Attachment a : attachments) {
            if (root.equals(a.contentId())) {
                throw new IllegalArgumentException("attachment Content-ID " + root + " is the SOAP part's");
            }
            String encoding = a.transferEncoding() == null ? "binary" : a.transferEncoding();
            part(out, boundary, a.contentType(), encoding, a.contentId(), a.content());
        }
        out.writeBytes(ascii("--" + boundary + "--\r\n"));
        return out.toByteArray();
    }

    private static void part(
            ByteArrayOutputStream out, String boundary, String type, String encoding, String id, byte[] content) {
        byte[] line = ascii("--" + boundary);
        if (startsWith(content, line) || contains(content, ascii("\r\n--" + boundary))) {
            throw new IllegalArgumentException("a part contains the boundary " + boundary + "; choose another");
        }
        out.writeBytes(line);
        out.writeBytes(ascii("\r\n" + header("Content-Type", type) + header("Content-Transfer-Encoding", encoding)
                + (id == null ? "" : header("Content-ID", "<" + id + ">")) + "\r\n"));
        out.writeBytes(content);
        out.writeBytes(ascii("\r\n"));
    }

    private static String header(String name, String value) {
        if (value.chars().anyMatch(c -> c < 0x20 || c >= 0x7F)) {
            throw new IllegalArgumentException(name + " must be printable ASCII: " + value);
        }
        return name + ": " + value + "\r\n";
    }

    private static boolean startsWith(byte[] content, byte[] prefix) {
        return content.length >= prefix.length && Arrays.equals(content, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean contains(byte[] content, byte[] pattern) {
        for (int i = 0; i + pattern.length <= content.length; i++) {
            if (Arrays.equals(content, i, i + pattern.length, pattern, 0, pattern.length)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
