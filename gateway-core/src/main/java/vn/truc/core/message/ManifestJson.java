package vn.truc.core.message;

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
import java.util.function.Function;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.message.MessageManifest.Kind;

/** The canonical JSON form of a {@link MessageManifest}, in and out. */
final class ManifestJson {
    static final int VERSION = 1;
    /** Far above any real manifest (a URL of 8 KiB included); refuses a hostile one before parsing. */
    static final int MAX_BYTES = 64 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> FIELDS = Set.of(
            "version",
            "kind",
            "messageId",
            "client",
            "service",
            "userId",
            "issue",
            "protocol",
            "method",
            "path",
            "contentType",
            "bodyDigest",
            "requestHash",
            "createdAt");

    private ManifestJson() {}

    static byte[] write(MessageManifest m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", VERSION);
        node.put("kind", m.kind().name().toLowerCase(Locale.ROOT));
        node.put("messageId", m.messageId());
        node.put("client", m.client().toString());
        node.put("service", m.service().toString());
        putPresent(node, "userId", m.userId());
        putPresent(node, "issue", m.issue());
        node.put("protocol", m.protocol());
        putPresent(node, "method", m.method());
        putPresent(node, "path", m.path());
        putPresent(node, "contentType", m.contentType());
        node.put("bodyDigest", m.bodyDigest());
        putPresent(node, "requestHash", m.requestHash());
        node.put("createdAt", m.createdAt().toString());
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write message manifest", e);
        }
    }

    static MessageManifest read(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES) {
            throw MessageManifest.invalid("missing or longer than " + MAX_BYTES + " bytes");
        }
        JsonNode tree = parse(bytes);
        checkFields(tree);
        MessageManifest manifest;
        try {
            manifest = new MessageManifest(
                    kind(tree),
                    text(tree, "messageId"),
                    parsed(tree, "client", ClientId::parse),
                    parsed(tree, "service", ServiceId::parse),
                    text(tree, "userId"),
                    text(tree, "issue"),
                    text(tree, "protocol"),
                    text(tree, "method"),
                    text(tree, "path"),
                    text(tree, "contentType"),
                    text(tree, "bodyDigest"),
                    text(tree, "requestHash"),
                    parsed(tree, "createdAt", Instant::parse));
        } catch (DateTimeParseException e) {
            throw MessageManifest.invalid("createdAt: '" + e.getParsedString() + "' (expected: ISO-8601 instant)");
        } catch (TrucException e) {
            throw e.code() == ErrorCode.INVALID_REQUEST ? e : MessageManifest.invalid(e.getMessage());
        }
        if (!Arrays.equals(write(manifest), bytes)) {
            throw MessageManifest.invalid(
                    "not in canonical form (compact UTF-8 JSON, keys in fixed order, absent fields omitted)");
        }
        return manifest;
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            JsonNode tree = JSON.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw MessageManifest.invalid("not a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw MessageManifest.invalid("not valid JSON: " + e.getMessage());
        }
    }

    private static void checkFields(JsonNode tree) {
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw MessageManifest.invalid("unknown field '" + name + "'");
            }
        }
        JsonNode version = tree.get("version");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            throw MessageManifest.invalid("version: " + version + " (expected: " + VERSION + ")");
        }
    }

    private static Kind kind(JsonNode tree) {
        String kind = text(tree, "kind");
        for (Kind k : Kind.values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(kind)) {
                return k;
            }
        }
        throw MessageManifest.invalid("kind", kind, "request or response");
    }

    /** The field's text, or null when absent; the record decides which fields are required. */
    private static String text(JsonNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw MessageManifest.invalid(field + ": " + value + " (expected: a string)");
        }
        return value.textValue();
    }

    private static <T> T parsed(JsonNode tree, String field, Function<String, T> parser) {
        String text = text(tree, field);
        return text == null ? null : parser.apply(text);
    }

    private static void putPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
