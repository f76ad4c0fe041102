package vn.truc.server.documents;

import java.nio.file.Path;
import java.util.regex.Pattern;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** What the document store checks before it writes, so a bad value is a request error, not a database one. */
final class DocumentChecks {
    static final int MAX_ID = 255;
    static final int MAX_PATH = 4000;
    static final int MAX_TEXT = 2000;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private DocumentChecks() {}

    static String text(String name, String value, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw invalid(name + ": " + (value == null ? "null" : "'" + value + "'") + " (expected: 1-" + max
                    + " characters)");
        }
        return value;
    }

    static String optionalText(String name, String value, int max) {
        return value == null ? null : text(name, value, max);
    }

    static void content(Path storedFile, String sha256, long size) {
        if (storedFile == null) {
            throw invalid("stored file: null (expected: the path of the stored package)");
        }
        text("stored file", storedFile.toString(), MAX_PATH);
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw invalid("content sha256: " + sha256 + " (expected: 64 lower-case hex digits)");
        }
        if (size < 0) {
            throw invalid("content size: " + size + " (expected: 0 or more)");
        }
    }

    static void limit(int limit) {
        if (limit < 1) {
            throw invalid("limit: " + limit + " (expected: 1 or more)");
        }
    }

    /** Error texts are kept, not refused: a long one is cut to what the column holds. */
    static String truncate(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    private static TrucException invalid(String message) {
        return new TrucException(Origin.SERVER, ErrorCode.INVALID_REQUEST, message);
    }
}
