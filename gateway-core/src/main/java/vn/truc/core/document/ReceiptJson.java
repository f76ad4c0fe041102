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
import java.util.Set;
import java.util.function.Function;
import vn.truc.core.document.DeliveryReceipt.Status;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;

/** The canonical JSON form of a {@link DeliveryReceipt}, in and out. */
final class ReceiptJson {
    static final int VERSION = 1;
    /** Far above any real receipt; refuses a hostile one before parsing. */
    static final int MAX_BYTES = 16 * 1024;

    private static final String DELIVERED = "delivered";
    private static final String REFUSED = "refused";
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> FIELDS = Set.of(
            "version",
            "documentId",
            "messageId",
            "sender",
            "recipient",
            "ciphertextDigest",
            "plaintextDigest",
            "receivedAt",
            "status",
            "reason");

    private ReceiptJson() {}

    static byte[] write(DeliveryReceipt r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", VERSION);
        node.put("documentId", r.documentId());
        node.put("messageId", r.messageId());
        node.put("sender", r.sender().toString());
        node.put("recipient", r.recipient().toString());
        node.put("ciphertextDigest", r.ciphertextDigest());
        if (r.plaintextDigest() != null) {
            node.put("plaintextDigest", r.plaintextDigest());
        }
        node.put("receivedAt", r.receivedAt().toString());
        if (r.status() instanceof Status.Refused refused) {
            node.put("status", REFUSED);
            node.put("reason", refused.reason());
        } else {
            node.put("status", DELIVERED);
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write delivery receipt", e);
        }
    }

    static DeliveryReceipt read(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES) {
            throw DeliveryReceipt.invalid("missing or longer than " + MAX_BYTES + " bytes");
        }
        JsonNode tree = parse(bytes);
        checkFields(tree);
        DeliveryReceipt receipt;
        try {
            receipt = new DeliveryReceipt(
                    text(tree, "documentId"),
                    text(tree, "messageId"),
                    parsed(tree, "sender", ClientId::parse),
                    parsed(tree, "recipient", ClientId::parse),
                    text(tree, "ciphertextDigest"),
                    text(tree, "plaintextDigest"),
                    parsed(tree, "receivedAt", Instant::parse),
                    status(tree));
        } catch (DateTimeParseException e) {
            throw DeliveryReceipt.invalid("receivedAt: '" + e.getParsedString() + "' (expected: ISO-8601 instant)");
        } catch (TrucException e) {
            throw e.code() == ErrorCode.INVALID_REQUEST ? e : DeliveryReceipt.invalid(e.getMessage());
        }
        if (!Arrays.equals(write(receipt), bytes)) {
            throw DeliveryReceipt.invalid(
                    "not in canonical form (compact UTF-8 JSON, keys in fixed order, absent fields omitted)");
        }
        return receipt;
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            JsonNode tree = JSON.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw DeliveryReceipt.invalid("not a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw DeliveryReceipt.invalid("not valid JSON: " + e.getMessage());
        }
    }

    private static void checkFields(JsonNode tree) {
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw DeliveryReceipt.invalid("unknown field '" + name + "'");
            }
        }
        JsonNode version = tree.get("version");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            throw DeliveryReceipt.invalid("version: " + version + " (expected: " + VERSION + ")");
        }
    }

    private static Status status(JsonNode tree) {
        String status = text(tree, "status");
        String reason = text(tree, "reason");
        if (DELIVERED.equals(status) && reason == null) {
            return Status.DELIVERED;
        }
        if (REFUSED.equals(status)) {
            return Status.refused(reason);
        }
        throw DeliveryReceipt.invalid("status", status, "delivered, or refused with a reason");
    }

    /** The field's text, or null when absent; the record decides which fields are required. */
    private static String text(JsonNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw DeliveryReceipt.invalid(field + ": " + value + " (expected: a string)");
        }
        return value.textValue();
    }

    private static <T> T parsed(JsonNode tree, String field, Function<String, T> parser) {
        String text = text(tree, field);
        return text == null ? null : parser.apply(text);
    }
}
