package vn.truc.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Digests;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.TrucException;
import vn.truc.core.testing.TestPki;

class LoggedContentTest {
    private static final TestPki PKI = TestPki.newCa("Operator CA");
    private static final KeyAndChain OPERATOR = PKI.issue("content key", CertificateProfile.ENCRYPTION);
    private static final byte[] BODY = "{\"q\":\"Công văn 123\"}".getBytes(StandardCharsets.UTF_8);
    private static final String BODY_HEX = Digests.sha256Hex(BODY);

    @Test
    void sealedContentOpensOnlyWithTheOperatorKeyAndNamesItsDigest() throws Exception {
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        LoggedContent.seal(new ByteArrayInputStream(BODY), sealed, OPERATOR.certificate(), BODY_HEX);
        assertThat(new String(sealed.toByteArray(), StandardCharsets.ISO_8859_1))
                .doesNotContain("Công văn");

        ByteArrayOutputStream opened = new ByteArrayOutputStream();
        String hex = LoggedContent.open(new ByteArrayInputStream(sealed.toByteArray()), opened, OPERATOR);
        assertThat(opened.toByteArray()).isEqualTo(BODY);
        assertThat(hex).isEqualTo(BODY_HEX);

        KeyAndChain other = PKI.issue("another key", CertificateProfile.ENCRYPTION);
        assertThatThrownBy(() -> LoggedContent.open(
                        new ByteArrayInputStream(sealed.toByteArray()), new ByteArrayOutputStream(), other))
                .isInstanceOf(TrucException.class);
    }

    @Test
    void refusesToSealContentOtherThanTheRecordNames() {
        assertThatThrownBy(() -> LoggedContent.seal(
                        new ByteArrayInputStream(BODY),
                        new ByteArrayOutputStream(),
                        OPERATOR.certificate(),
                        Digests.sha256Hex(new byte[] {1})))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("not " + Digests.sha256Hex(new byte[] {1}));
    }

    @Test
    void aRequestsContentIsItsBodyAndAReceiptHasNone() {
        String base64 = Base64.getEncoder().encodeToString(Digests.sha256(BODY));
        assertThat(LoggedContent.digestHex("REQUEST", base64, "{}")).isEqualTo(BODY_HEX);
        assertThat(LoggedContent.digestHex("RESPONSE", base64, "{}")).isEqualTo(BODY_HEX);
        assertThat(LoggedContent.digestHex("RECEIPT", base64, "{}")).isNull();
    }

    @Test
    void theContentFlagIsPartOfTheHashedRecordAndOnlyWrittenWhenTrue() {
        AuditRecord without = record(false);
        AuditRecord with = record(true);
        assertThat(new String(without.toBytes(), StandardCharsets.UTF_8)).doesNotContain("content");
        assertThat(new String(with.toBytes(), StandardCharsets.UTF_8)).contains("\"content\":true,\"prevHash\"");
        assertThat(with.hash()).isNotEqualTo(without.hash());
        assertThat(AuditRecord.fromBytes(with.toBytes())).isEqualTo(with);

        String spelledOut = new String(without.toBytes(), StandardCharsets.UTF_8)
                .replace(",\"prevHash\"", ",\"content\":false,\"prevHash\"");
        assertThatThrownBy(() -> AuditRecord.fromBytes(spelledOut.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("canonical");
    }

    private static AuditRecord record(boolean content) {
        return new AuditRecord(
                7,
                Instant.parse("2026-01-02T03:04:05Z"),
                "msg-7",
                "OUT",
                "REQUEST",
                "VN/GOV/000.00.00.G22/DMS",
                null,
                Base64.getEncoder().encodeToString(Digests.sha256(BODY)),
                null,
                null,
                null,
                null,
                content,
                AuditRecord.GENESIS);
    }
}
