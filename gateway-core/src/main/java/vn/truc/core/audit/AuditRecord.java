package vn.truc.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import vn.truc.core.crypto.Digests;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * One message-log record as the hash chain sees it: every field the log keeps about a message, and
 * the hash of the record before it. Its {@link #hash()} is the SHA-256 of {@link #toBytes()}, so a
 * record commits to its predecessor, and through it to the whole chain: changing, removing,
 * inserting or reordering a record breaks the link after it.
 *
 * <p>The hashed bytes are compact UTF-8 JSON, {@code "version":1} first, then the fields in the
 * order of this record's components, absent (null) fields omitted, {@code loggedAt} as ISO-8601,
 * the signature in base64. {@link #fromBytes(byte[])} accepts only that exact form. An auditor can
 * recompute a hash with any JSON-unaware tool: {@code sha256sum} of the line as exported.
 *
 * @param id the record's position in the log, unique and increasing
 * @param content true when the message's content was logged too (sealed for the operator, outside
 *     the chain; see {@link LoggedContent}): an export that carries contents must then carry it.
 *     Written as {@code "content":true}, omitted when false.
 * @param prevHash hex SHA-256 of the previous record ({@link #GENESIS} for the first)
 */
// The signature array is copied in and out.
@SuppressWarnings("ArrayRecordComponent")
public record AuditRecord(
        long id,
        Instant loggedAt,
        String messageId,
        String direction,
        String kind,
        String client,
        String service,
        String bodyDigest,
        String manifest,
        byte[] signature,
        String signerCertHash,
        String peerServer,
        boolean content,
        String prevHash) {

    /** The previous hash of the first record of a chain: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    static final int VERSION = 1;
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> FIELDS = Set.of(
            "version",
            "id",
            "loggedAt",
            "messageId",
            "direction",
            "kind",
            "client",
            "service",
            "bodyDigest",
            "manifest",
            "signature",
            "signerCertHash",
            "peerServer",
            "content",
            "prevHash");

    public AuditRecord {
        if (id < 1) {
            throw invalid("id " + id + " (expected: 1 or more)");
        }
        Objects.requireNonNull(loggedAt, "loggedAt");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(bodyDigest, "bodyDigest");
        if (prevHash == null || !HEX_SHA256.matcher(prevHash).matches()) {
            throw invalid("prevHash '" + prevHash + "' (expected: 64 lower-case hex digits)");
        }
        signature = signature == null ? null : signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    /** The bytes that are hashed. */
    public byte[] toBytes() {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", VERSION);
        node.put("id", id);
        node.put("loggedAt", loggedAt.toString());
        node.put("messageId", messageId);
        node.put("direction", direction);
        node.put("kind", kind);
        node.put("client", client);
        putIfPresent(node, "service", service);
        node.put("bodyDigest", bodyDigest);
        putIfPresent(node, "manifest", manifest);
        if (signature != null) {
            node.put("signature", Base64.getEncoder().encodeToString(signature));
        }
        putIfPresent(node, "signerCertHash", signerCertHash);
        putIfPresent(node, "peerServer", peerServer);
        if (content) {
            node.put("content", true);
        }
        node.put("prevHash", prevHash);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write audit record", e);
        }
    }

    /** Hex SHA-256 of {@link #toBytes()}: what the next record names as its {@code prevHash}. */
    public String hash() {
        return Digests.sha256Hex(toBytes());
    }

    /** Parses bytes made by {@link #toBytes()}; anything else is {@link ErrorCode#INVALID_REQUEST}. */
    public static AuditRecord fromBytes(byte[] bytes) {
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
        if (tree.path("version").asInt(-1) != VERSION || !tree.path("id").isIntegralNumber()) {
            throw invalid("version or id missing or wrong");
        }
        AuditRecord record;
        try {
            String signature = text(tree, "signature");
            JsonNode content = tree.get("content");
            if (content != null && !content.isBoolean()) {
                throw invalid("content: " + content + " (expected: true)");
            }
            record = new AuditRecord(
                    tree.get("id").asLong(),
                    Instant.parse(required(tree, "loggedAt")),
                    required(tree, "messageId"),
                    required(tree, "direction"),
                    required(tree, "kind"),
                    required(tree, "client"),
                    text(tree, "service"),
                    required(tree, "bodyDigest"),
                    text(tree, "manifest"),
                    signature == null ? null : Base64.getDecoder().decode(signature),
                    text(tree, "signerCertHash"),
                    text(tree, "peerServer"),
                    content != null && content.booleanValue(),
                    required(tree, "prevHash"));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (!Arrays.equals(record.toBytes(), bytes)) {
            throw invalid("not in canonical form (compact UTF-8 JSON, keys in fixed order, absent fields omitted)");
        }
        return record;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String required(JsonNode tree, String field) {
        String value = text(tree, field);
        if (value == null) {
            throw invalid(field + " is missing");
        }
        return value;
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

    private static TrucException invalid(String message) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, "audit record: " + message);
    }
}
