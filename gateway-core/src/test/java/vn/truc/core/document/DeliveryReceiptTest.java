package vn.truc.core.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import vn.truc.core.document.DeliveryReceipt.Status;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;

class DeliveryReceiptTest {
    static final String CIPHERTEXT_DIGEST = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";
    static final String PLAINTEXT_DIGEST = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    static DeliveryReceipt delivered() {
        return new DeliveryReceipt(
                "CV-123/UBND-VP",
                "msg-1",
                ClientId.parse("VN/GOV/000.00.00.G22/DMS"),
                ClientId.parse("VN/GOV/000.00.00.H41/DMS"),
                CIPHERTEXT_DIGEST,
                PLAINTEXT_DIGEST,
                Instant.parse("2025-01-02T03:04:05.678Z"),
                Status.DELIVERED);
    }

    static DeliveryReceipt refused(String plaintextDigest) {
        DeliveryReceipt d = delivered();
        return new DeliveryReceipt(
                d.documentId(),
                d.messageId(),
                d.sender(),
                d.recipient(),
                d.ciphertextDigest(),
                plaintextDigest,
                d.receivedAt(),
                Status.refused("văn bản không đúng định dạng \"EDXML\""));
    }

    @Test
    void writesTheOneCanonicalForm() {
        String expected = "{\"version\":1,\"documentId\":\"CV-123/UBND-VP\",\"messageId\":\"msg-1\","
                + "\"sender\":\"VN/GOV/000.00.00.G22/DMS\",\"recipient\":\"VN/GOV/000.00.00.H41/DMS\","
                + "\"ciphertextDigest\":\"" + CIPHERTEXT_DIGEST + "\",\"plaintextDigest\":\"" + PLAINTEXT_DIGEST
                + "\",\"receivedAt\":\"2025-01-02T03:04:05.678Z\",\"status\":\"delivered\"}";
        assertThat(new String(delivered().toBytes(), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void writesARefusalWithItsReasonLast() {
        assertThat(new String(refused(null).toBytes(), StandardCharsets.UTF_8))
                .contains("\"ciphertextDigest\":\"" + CIPHERTEXT_DIGEST + "\",\"receivedAt\"")
                .endsWith(",\"status\":\"refused\",\"reason\":\"văn bản không đúng định dạng \\\"EDXML\\\"\"}");
    }

    @Test
    void roundTripsThroughBytes() {
        assertThat(DeliveryReceipt.fromBytes(delivered().toBytes())).isEqualTo(delivered());
        assertThat(DeliveryReceipt.fromBytes(refused(null).toBytes())).isEqualTo(refused(null));
        assertThat(DeliveryReceipt.fromBytes(refused(PLAINTEXT_DIGEST).toBytes()))
                .isEqualTo(refused(PLAINTEXT_DIGEST));
    }

    @Test
    void refusesNonCanonicalBytes() {
        assertRefused(json().replace(",\"messageId\"", ", \"messageId\""), "not in canonical form");
        assertRefused(json().replace(".678Z", ".678000Z"), "not in canonical form");
        assertRefused(json().replace("\"version\":1,", ""), "version: null");
        String inOrder = "\"documentId\":\"CV-123/UBND-VP\",\"messageId\":\"msg-1\"";
        String swapped = "\"messageId\":\"msg-1\",\"documentId\":\"CV-123/UBND-VP\"";
        assertRefused(json().replace(inOrder, swapped), "not in canonical form");
    }

    @Test
    void refusesUnknownDuplicateOrMistypedFields() {
        assertRefused(json().replace("\"documentId\"", "\"extra\":\"x\",\"documentId\""), "unknown field 'extra'");
        String twice = "\"messageId\":\"msg-1\",\"messageId\":\"x\"";
        assertRefused(json().replace("\"messageId\":\"msg-1\"", twice), "Duplicate field 'messageId'");
        assertRefused(json().replace("\"msg-1\"", "7"), "messageId: 7 (expected: a string)");
    }

    @Test
    void refusesWhatAReceiptCannotSay() {
        assertRefused(json().replace("\"delivered\"", "\"lost\""), "status: 'lost'");
        assertRefused(json().replace("\"delivered\"", "\"refused\""), "reason: 'null'");
        assertRefused(json().replace("\"delivered\"", "\"delivered\",\"reason\":\"x\""), "status: 'delivered'");
        assertRefused(json().replace(",\"plaintextDigest\":\"" + PLAINTEXT_DIGEST + "\"", ""), "plaintextDigest");
        assertRefused(json().replace(CIPHERTEXT_DIGEST, "abc"), "ciphertextDigest: 'abc'");
        assertRefused(json().replace("VN/GOV/000.00.00.G22/DMS", "VN"), "delivery receipt");
        assertRefused(json().replace("2025-01-02T03", "yesterday"), "receivedAt");
    }

    private static String json() {
        return new String(delivered().toBytes(), StandardCharsets.UTF_8);
    }

    private static void assertRefused(String json, String reason) {
        assertThatThrownBy(() -> DeliveryReceipt.fromBytes(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TrucException.class)
                .hasMessageStartingWith("delivery receipt: ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
}
