package vn.truc.core.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import vn.truc.core.crypto.Digests;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;

/**
 * What the sender member signs when its security server delivers a document (or a status about one)
 * to one recipient: who sends what to whom, and the digests of both the document ({@code
 * plaintextDigest}, proof of origin of the content itself) and the CMS envelope encrypted for that
 * recipient ({@code ciphertextDigest}, checked before anything is decrypted). The message id is the
 * same on every attempt to deliver it, so a recipient recognises a repeat.
 *
 * <p>The signed bytes are {@link #toBytes()}: compact UTF-8 JSON, {@code "version":1} first, then the
 * fields in the order of this record's components, an absent status code omitted, the kind and
 * business type in lower case, {@code createdAt} as ISO-8601. {@link #fromBytes(byte[])} accepts only
 * that exact form.
 *
 * @param kind a document or a status message about one
 * @param documentId the business key: {@code DocumentId} of a document, of the document a status is about
 * @param statusCode the status code ({@code 01}..{@code 16}) of a status; null for a document
 * @param contentType the media type of the document as its sender submitted it
 */
public record DocumentManifest(
        String messageId,
        Kind kind,
        ClientId sender,
        ClientId recipient,
        String documentId,
        BusinessType businessType,
        String statusCode,
        String contentType,
        long plaintextSize,
        String plaintextDigest,
        String ciphertextDigest,
        Instant createdAt) {

    static final int VERSION = 1;
    /** Far above any real manifest; refuses a hostile one before parsing. */
    static final int MAX_BYTES = 16 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> FIELDS = Set.of(
            "version",
            "messageId",
            "kind",
            "sender",
            "recipient",
            "documentId",
            "businessType",
            "statusCode",
            "contentType",
            "plaintextSize",
            "plaintextDigest",
            "ciphertextDigest",
            "createdAt");

    /** Whether the package is a document or a status message about one. */
    public enum Kind {
        DOCUMENT,
        STATUS
    }

    public DocumentManifest {
        text("messageId", messageId);
        require("kind", kind);
        require("sender", sender);
        require("recipient", recipient);
        if (!sender.isSubsystem() || !recipient.isSubsystem()) {
            throw invalid("sender and recipient must be subsystems, got " + sender + " and " + recipient);
        }
        text("documentId", documentId);
        require("businessType", businessType);
        if ((kind == Kind.STATUS) != (statusCode != null)) {
            throw invalid("statusCode", statusCode, "present for a status and only for a status");
        }
        if (statusCode != null && !statusCode.matches("\\d{2}")) {
            throw invalid("statusCode", statusCode, "two digits");
        }
        text("contentType", contentType);
        if (plaintextSize < 0) {
            throw invalid("plaintextSize", String.valueOf(plaintextSize), "0 or more");
        }
        sha256("plaintextDigest", plaintextDigest);
        sha256("ciphertextDigest", ciphertextDigest);
        require("createdAt", createdAt);
    }

    /** The canonical bytes that are signed. */
    public byte[] toBytes() {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", VERSION);
        node.put("messageId", messageId);
        node.put("kind", kind.name().toLowerCase(Locale.ROOT));
        node.put("sender", sender.toString());
        node.put("recipient", recipient.toString());
        node.put("documentId", documentId);
        node.put("businessType", businessType.name().toLowerCase(Locale.ROOT));
        if (statusCode != null) {
            node.put("statusCode", statusCode);
        }
        node.put("contentType", contentType);
        node.put("plaintextSize", plaintextSize);
        node.put("plaintextDigest", plaintextDigest);
        node.put("ciphertextDigest", ciphertextDigest);
        node.put("createdAt", createdAt.toString());
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write document manifest", e);
        }
    }

    /**
     * Parses bytes made by {@link #toBytes()}; anything else (unknown or missing fields, another key
     * order, whitespace) is {@link ErrorCode#INVALID_REQUEST}.
     */
    public static DocumentManifest fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES) {
            throw invalid("missing or longer than " + MAX_BYTES + " bytes");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (IOException e) {
            throw invalid("not valid JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw invalid("not a JSON object");
        }
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid("unknown field '" + name + "'");
            }
        }
        JsonNode version = tree.get("version");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            throw invalid("version: " + version + " (expected: " + VERSION + ")");
        }
        DocumentManifest manifest;
        try {
            JsonNode size = tree.get("plaintextSize");
            if (size == null || !size.canConvertToLong() || !size.isIntegralNumber()) {
                throw invalid("plaintextSize: " + size + " (expected: a whole number)");
            }
            manifest = new DocumentManifest(
                    text(tree, "messageId"),
                    upper(tree, "kind", Kind.class),
                    id(tree, "sender"),
                    id(tree, "recipient"),
                    text(tree, "documentId"),
                    upper(tree, "businessType", BusinessType.class),
                    text(tree, "statusCode"),
                    text(tree, "contentType"),
                    size.longValue(),
                    text(tree, "plaintextDigest"),
                    text(tree, "ciphertextDigest"),
                    instant(tree));
        } catch (TrucException e) {
            throw e.code() == ErrorCode.INVALID_REQUEST ? e : invalid(e.getMessage());
        }
        if (!Arrays.equals(manifest.toBytes(), bytes)) {
            throw invalid("not in canonical form (compact UTF-8 JSON, keys in fixed order, absent fields omitted)");
        }
        return manifest;
    }

    private static String text(JsonNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(field + ": " + value + " (expected: a string)");
        }
        return value.textValue();
    }

    private static ClientId id(JsonNode tree, String field) {
        String value = text(tree, field);
        return value == null ? null : ClientId.parse(value);
    }

    private static <E extends Enum<E>> E upper(JsonNode tree, String field, Class<E> type) {
        String value = text(tree, field);
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        throw invalid(
                field,
                value,
                "one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }

    private static Instant instant(JsonNode tree) {
        String value = text(tree, "createdAt");
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid("createdAt", value, "an ISO-8601 instant");
        }
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw invalid(field, null, "present");
        }
    }

    private static void text(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw invalid(field, value, "a non-empty string");
        }
    }

    private static void sha256(String field, String value) {
        if (!Digests.isSha256Base64(value)) {
            throw invalid(field, value, "base64 of a SHA-256 digest, 44 characters");
        }
    }

    private static TrucException invalid(String field, String value, String expected) {
        return invalid(field + ": '" + value + "' (expected: " + expected + ")");
    }

    private static TrucException invalid(String message) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, "document manifest: " + message);
    }
}
