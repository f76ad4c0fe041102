package vn.truc.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import vn.truc.core.crypto.Digests;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.message.MessageManifest.Kind;

class MessageManifestTest {
    static final String ABC_DIGEST = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";

    static MessageManifest request() {
        return new MessageManifest(
                Kind.REQUEST,
                "id-1",
                ClientId.parse("VN/GOV/000.00.00.G22/DMS"),
                ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument/v1"),
                "Nguyễn Văn A",
                null,
                "rest",
                "GET",
                "/documents/42?x=\"1\"",
                null,
                ABC_DIGEST,
                null,
                Instant.parse("2025-01-02T03:04:05.678Z"));
    }

    @Test
    void writesTheOneCanonicalForm() {
        String expected = "{\"version\":1,\"kind\":\"request\",\"messageId\":\"id-1\","
                + "\"client\":\"VN/GOV/000.00.00.G22/DMS\",\"service\":\"VN/GOV/000.00.00.H41/DMS/getDocument/v1\","
                + "\"userId\":\"Nguyễn Văn A\",\"protocol\":\"rest\",\"method\":\"GET\","
                + "\"path\":\"/documents/42?x=\\\"1\\\"\",\"bodyDigest\":\"" + ABC_DIGEST + "\","
                + "\"createdAt\":\"2025-01-02T03:04:05.678Z\"}";
        assertThat(new String(request().toBytes(), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void roundTripsThroughBytes() {
        MessageManifest response = new MessageManifest(
                Kind.RESPONSE,
                "id-1",
                request().client(),
                request().service(),
                null,
                "ticket-7",
                "soap",
                null,
                null,
                "text/xml; charset=utf-8",
                ABC_DIGEST,
                request().hash(),
                Instant.parse("2025-01-02T03:04:06Z"));
        assertThat(MessageManifest.fromBytes(request().toBytes())).isEqualTo(request());
        assertThat(MessageManifest.fromBytes(response.toBytes())).isEqualTo(response);
    }

    @Test
    void hashIsBase64Sha256OfTheBytes() {
        assertThat(request().hash())
                .isEqualTo(Base64.getEncoder()
                        .encodeToString(Digests.sha256(request().toBytes())));
    }

    @Test
    void refusesUnknownField() {
        assertRefused(json().replace("\"kind\"", "\"extra\":\"x\",\"kind\""), "unknown field 'extra'");
    }

    @Test
    void refusesNonCanonicalBytes() {
        assertRefused(json().replace(",\"kind\"", ", \"kind\""), "not in canonical form");
        assertRefused(json().replace("05.678Z", "05.6780Z"), "not in canonical form");
        assertRefused(json() + "\n", "not in canonical form");
    }

    @Test
    void refusesDuplicateKeys() {
        assertRefused(json().replace("\"kind\"", "\"messageId\":\"other\",\"kind\""), "Duplicate field");
    }

    @Test
    void refusesWrongTypesAndMissingFields() {
        assertRefused(json().replace("\"id-1\"", "1"), "messageId: 1 (expected: a string)");
        assertRefused(json().replace("\"messageId\":\"id-1\",", ""), "messageId: 'null'");
        assertRefused(json().replace("\"version\":1", "\"version\":2"), "version: 2");
        assertRefused("[1]", "not a JSON object");
        assertRefused("{\"version\"", "not valid JSON");
        assertRefused("", "not a JSON object");
    }

    @Test
    void reportsABadIdentifierAsAnInvalidRequest() {
        assertRefused(json().replace("VN/GOV/000.00.00.G22/DMS", "VN/gov"), "client id");
        assertRefused(json().replace("getDocument/v1", "get Document"), "service");
    }

    @Test
    void refusesBadDigestsAndRequestHashOnTheWrongKind() {
        assertRefused(json().replace(ABC_DIGEST, ABC_DIGEST.replace("=", "")), "bodyDigest");
        assertRefused(json().replace(ABC_DIGEST, "AAAA"), "bodyDigest");
        assertRefused(
                json().replace("\"createdAt\"", "\"requestHash\":\"" + ABC_DIGEST + "\",\"createdAt\""), "requestHash");
        assertRefused(json().replace("\"request\"", "\"response\""), "requestHash: 'null'");
    }

    @Test
    void validatesInCode() {
        assertThatThrownBy(() -> request("", "rest", "GET"))
                .hasMessageContaining("userId: '' (expected: absent (null) or a non-empty string)");
        assertThatThrownBy(() -> request(null, "rest", null)).hasMessageContaining("method: 'null'");
        assertThatThrownBy(() -> request(null, "http", null))
                .hasMessageContaining("protocol: 'http' (expected: rest or soap)");
        assertThat(request(null, "soap", null).method()).isNull();
    }

    private static MessageManifest request(String userId, String protocol, String method) {
        MessageManifest r = request();
        return new MessageManifest(
                r.kind(),
                r.messageId(),
                r.client(),
                r.service(),
                userId,
                r.issue(),
                protocol,
                method,
                r.path(),
                r.contentType(),
                r.bodyDigest(),
                r.requestHash(),
                r.createdAt());
    }

    private static String json() {
        return new String(request().toBytes(), StandardCharsets.UTF_8);
    }

    private static void assertRefused(String json, String reason) {
        assertThatThrownBy(() -> MessageManifest.fromBytes(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TrucException.class)
                .hasMessageStartingWith("message manifest: ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
}
