package vn.truc.core.document;

import java.time.Instant;
import vn.truc.core.crypto.Digests;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;

/**
 * The recipient's word that a document arrived, which the sender keeps as proof of delivery
 * (non-repudiation of receipt) once {@link Receipts#sign signed} with the recipient member's sign key.
 * It names the document by its business {@code documentId} and the message that carried it by
 * {@code messageId}, and binds both to the bytes: {@code ciphertextDigest} is the base64 SHA-256 of
 * the CMS the recipient received (the message's body digest), {@code plaintextDigest} that of the
 * document it decrypted. A refused document has no plaintext digest when it could not be decrypted.
 *
 * <p>The signed bytes are {@link #toBytes()}: compact UTF-8 JSON, {@code "version":1} first, then the
 * fields in the order of this record's components, an absent plaintext digest omitted, the clients as
 * identifier strings, {@code receivedAt} as ISO-8601, the status in lower case followed by {@code
 * "reason"} when refused. {@link #fromBytes(byte[])} accepts only that exact form, so one receipt has
 * one byte string, and no receipt reads as a message manifest nor the other way round.
 */
public record DeliveryReceipt(
        String documentId,
        String messageId,
        ClientId sender,
        ClientId recipient,
        String ciphertextDigest,
        String plaintextDigest,
        Instant receivedAt,
        Status status) {

    /** Whether the recipient took the document in, or refused it and why. */
    public sealed interface Status {
        /** The document arrived intact, decrypted, and was handed on to the recipient. */
        Status DELIVERED = new Delivered();

        /** The document arrived but the recipient did not take it in, for {@code reason}. */
        static Status refused(String reason) {
            return new Refused(reason);
        }

        /** See {@link #DELIVERED}. */
        record Delivered() implements Status {}

        /** See {@link #refused(String)}. */
        record Refused(String reason) implements Status {
            public Refused {
                if (reason == null || reason.isBlank()) {
                    throw invalid("reason", reason, "a non-blank string");
                }
            }
        }
    }

    public DeliveryReceipt {
        text("documentId", documentId);
        text("messageId", messageId);
        require("sender", sender);
        require("recipient", recipient);
        sha256("ciphertextDigest", ciphertextDigest);
        if (plaintextDigest != null || status instanceof Status.Delivered) {
            sha256("plaintextDigest", plaintextDigest);
        }
        require("receivedAt", receivedAt);
        require("status", status);
    }

    /** The canonical bytes that are signed; stable across JVMs and releases of format version 1. */
    public byte[] toBytes() {
        return ReceiptJson.write(this);
    }

    /**
     * Parses bytes made by {@link #toBytes()}. Anything else (unknown or missing fields, other key
     * order, whitespace, another encoding) is {@link ErrorCode#INVALID_REQUEST}.
     */
    public static DeliveryReceipt fromBytes(byte[] bytes) {
        return ReceiptJson.read(bytes);
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

    static TrucException invalid(String field, String value, String expected) {
        return invalid(field + ": '" + value + "' (expected: " + expected + ")");
    }

    static TrucException invalid(String message) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, "delivery receipt: " + message);
    }
}
