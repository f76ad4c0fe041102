package vn.truc.core.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import vn.truc.core.document.DocumentManifest.Kind;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;

/** The signed manifest has exactly one byte form, and anything else is refused naming what is wrong. */
class DocumentManifestTest {
    private static final ClientId G22_DMS = ClientId.parse("VN/GOV/000.00.00.G22/DMS");
    private static final ClientId H41_DMS = ClientId.parse("VN/GOV/000.00.00.H41/DMS");
    private static final String DOC = "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT";
    private static final String PLAIN = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    private static final String CIPHER = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";
    private static final Instant CREATED = Instant.parse("2025-01-02T03:04:05.678Z");

    /** The canonical bytes of {@link #document()}, written out by hand so any change of format shows. */
    private static final String DOCUMENT_JSON = "{\"version\":1,\"messageId\":\"msg-1\",\"kind\":\"document\","
            + "\"sender\":\"VN/GOV/000.00.00.G22/DMS\",\"recipient\":\"VN/GOV/000.00.00.H41/DMS\","
            + "\"documentId\":\"000.00.00.G22,2015/09/30,7816/VPCP-TTĐT\",\"businessType\":\"update\","
            + "\"contentType\":\"application/xml\",\"plaintextSize\":369544,"
            + "\"plaintextDigest\":\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\","
            + "\"ciphertextDigest\":\"ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=\","
            + "\"createdAt\":\"2025-01-02T03:04:05.678Z\"}";

    static DocumentManifest document() {
        return new DocumentManifest(
                "msg-1",
                Kind.DOCUMENT,
                G22_DMS,
                H41_DMS,
                DOC,
                BusinessType.UPDATE,
                null,
                "application/xml",
                369_544,
                PLAIN,
                CIPHER,
                CREATED);
    }

    static DocumentManifest status() {
        return new DocumentManifest(
                "msg-2",
                Kind.STATUS,
                H41_DMS,
                G22_DMS,
                DOC,
                BusinessType.NEW,
                "06",
                "application/json",
                0,
                PLAIN,
                CIPHER,
                CREATED);
    }

    @Test
    void writesTheOneCanonicalForm() {
        assertThat(new String(document().toBytes(), StandardCharsets.UTF_8)).isEqualTo(DOCUMENT_JSON);
    }

    @Test
    void writesTheStatusCodeOfAStatusAfterTheBusinessType() {
        assertThat(new String(status().toBytes(), StandardCharsets.UTF_8))
                .contains("\"kind\":\"status\"")
                .contains("\"businessType\":\"new\",\"statusCode\":\"06\",\"contentType\"");
    }

    @Test
    void roundTripsADocumentAndAStatus() {
        assertThat(DocumentManifest.fromBytes(document().toBytes())).isEqualTo(document());
        assertThat(DocumentManifest.fromBytes(status().toBytes())).isEqualTo(status());
        assertThat(DocumentManifest.fromBytes(DOCUMENT_JSON.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(document());
    }

    @Test
    void refusesAnUnknownField() {
        assertRefused(DOCUMENT_JSON.replace("\"kind\"", "\"subject\":\"x\",\"kind\""), "unknown field 'subject'");
    }

    @Test
    void refusesAMissingField() {
        assertRefused(DOCUMENT_JSON.replace("\"messageId\":\"msg-1\",", ""), "messageId: 'null'");
        assertRefused(DOCUMENT_JSON.replace(",\"createdAt\":\"2025-01-02T03:04:05.678Z\"", ""), "createdAt");
        assertRefused(DOCUMENT_JSON.replace("\"plaintextSize\":369544,", ""), "plaintextSize: null");
        assertRefused(DOCUMENT_JSON.replace("\"businessType\":\"update\",", ""), "businessType");
    }

    @Test
    void refusesReorderedKeys() {
        String inOrder = "\"messageId\":\"msg-1\",\"kind\":\"document\"";
        String swapped = "\"kind\":\"document\",\"messageId\":\"msg-1\"";
        assertRefused(DOCUMENT_JSON.replace(inOrder, swapped), "not in canonical form");
    }

    @Test
    void refusesWhitespace() {
        assertRefused(DOCUMENT_JSON.replace(",\"kind\"", ", \"kind\""), "not in canonical form");
        assertRefused(DOCUMENT_JSON + "\n", "not in canonical form");
        assertRefused(DOCUMENT_JSON.replace("{\"version\":1", "{\"version\": 1"), "not in canonical form");
    }

    @Test
    void refusesAnotherVersion() {
        assertRefused(DOCUMENT_JSON.replace("\"version\":1", "\"version\":2"), "version: 2 (expected: 1)");
        assertRefused(DOCUMENT_JSON.replace("\"version\":1", "\"version\":\"1\""), "version: \"1\" (expected: 1)");
        assertRefused(DOCUMENT_JSON.replace("\"version\":1,", ""), "version: null (expected: 1)");
    }

    @Test
    void refusesAStatusCodeOnADocumentAndNoneOnAStatus() {
        assertRefused(
                DOCUMENT_JSON.replace("\"contentType\"", "\"statusCode\":\"06\",\"contentType\""),
                "statusCode: '06' (expected: present for a status and only for a status)");
        String status = new String(status().toBytes(), StandardCharsets.UTF_8);
        assertRefused(status.replace("\"statusCode\":\"06\",", ""), "statusCode: 'null'");
        assertRefused(status.replace("\"06\"", "\"6\""), "statusCode: '6' (expected: two digits)");
    }

    @Test
    void refusesDigestsThatAreNotBase64OfSha256() {
        assertRefused(DOCUMENT_JSON.replace(PLAIN, PLAIN.substring(1)), "plaintextDigest: '" + PLAIN.substring(1));
        String sha1 = "2jmj7l5rSw0yVb/vlWAYkK/YBwk=";
        assertRefused(DOCUMENT_JSON.replace(CIPHER, sha1), "ciphertextDigest: '" + sha1 + "'");
        assertRefused(DOCUMENT_JSON.replace(CIPHER, "!".repeat(44)), "ciphertextDigest");
        assertRefused(DOCUMENT_JSON.replace(PLAIN, ""), "plaintextDigest: ''");
    }

    @Test
    void refusesNonCanonicalBase64OfTheRightLength() {
        // The last character '=' padding follows 'U'; 'V' decodes to the same 32 bytes but sets bits
        // that canonical base64 leaves zero, so the same digest would have two signed forms.
        String sloppy = PLAIN.replace("uFU=", "uFV=");
        assertThat(sloppy).hasSize(44).isNotEqualTo(PLAIN);
        assertRefused(DOCUMENT_JSON.replace(PLAIN, sloppy), "plaintextDigest: '" + sloppy + "'");
        String url = CIPHER.replace('/', '_');
        assertRefused(DOCUMENT_JSON.replace(CIPHER, url), "ciphertextDigest: '" + url + "'");
    }

    @Test
    void refusesANegativeOrFractionalSize() {
        assertRefused(DOCUMENT_JSON.replace("369544", "-1"), "plaintextSize: '-1' (expected: 0 or more)");
        assertRefused(DOCUMENT_JSON.replace("369544", "1.5"), "plaintextSize: 1.5 (expected: a whole number)");
        assertRefused(DOCUMENT_JSON.replace("369544", "\"1\""), "plaintextSize: \"1\" (expected: a whole number)");
    }

    @Test
    void refusesMembersWhereSubsystemsAreNeeded() {
        assertRefused(
                DOCUMENT_JSON.replace("000.00.00.H41/DMS", "000.00.00.H41"),
                "sender and recipient must be subsystems, got VN/GOV/000.00.00.G22/DMS and VN/GOV/000.00.00.H41");
        assertRefused(
                DOCUMENT_JSON.replace("000.00.00.G22/DMS", "000.00.00.G22"),
                "sender and recipient must be subsystems, got VN/GOV/000.00.00.G22 and");
        assertThatThrownBy(() -> new DocumentManifest(
                        "m",
                        Kind.DOCUMENT,
                        G22_DMS.memberId(),
                        H41_DMS,
                        DOC,
                        BusinessType.NEW,
                        null,
                        "application/xml",
                        1,
                        PLAIN,
                        CIPHER,
                        CREATED))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("sender and recipient must be subsystems");
    }

    @Test
    void refusesMistypedOrUnknownValues() {
        assertRefused(DOCUMENT_JSON.replace("\"document\"", "\"letter\""), "kind: 'letter' (expected: one of");
        assertRefused(DOCUMENT_JSON.replace("\"document\"", "\"DOCUMENT\""), "kind: 'DOCUMENT'");
        assertRefused(DOCUMENT_JSON.replace("\"update\"", "\"amend\""), "businessType: 'amend'");
        assertRefused(DOCUMENT_JSON.replace("\"msg-1\"", "7"), "messageId: 7 (expected: a string)");
        assertRefused(DOCUMENT_JSON.replace("2025-01-02T03", "yesterday"), "createdAt: 'yesterday");
        assertRefused(DOCUMENT_JSON.replace("\"application/xml\"", "\"\""), "contentType: ''");
        String twice = "\"messageId\":\"msg-1\",\"messageId\":\"msg-1\"";
        assertRefused(DOCUMENT_JSON.replace("\"messageId\":\"msg-1\"", twice), "Duplicate field 'messageId'");
    }

    @Test
    void refusesOversizeInputBeforeParsing() {
        byte[] big = new byte[DocumentManifest.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertRefused(big, "longer than " + DocumentManifest.MAX_BYTES + " bytes");
        assertRefused((byte[]) null, "missing");
    }

    @Test
    void refusesJsonThatIsNotAnObject() {
        assertRefused("[" + DOCUMENT_JSON + "]", "not a JSON object");
        assertRefused("\"manifest\"", "not a JSON object");
        assertRefused("", "not a JSON object");
        assertRefused(DOCUMENT_JSON.substring(0, 40), "not valid JSON");
    }

    private static void assertRefused(String json, String reason) {
        assertRefused(json.getBytes(StandardCharsets.UTF_8), reason);
    }

    private static AbstractThrowableAssert<?, ?> assertRefused(byte[] bytes, String reason) {
        return assertThatThrownBy(() -> DocumentManifest.fromBytes(bytes))
                .isInstanceOf(TrucException.class)
                .hasMessageStartingWith("document manifest: ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
}
