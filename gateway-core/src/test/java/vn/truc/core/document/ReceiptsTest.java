package vn.truc.core.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.message.MessageSignatures;
import vn.truc.core.message.VerifiedSignature;

class ReceiptsTest {
    private static final byte[] RECEIPT = DeliveryReceiptTest.delivered().toBytes();

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void roundTrips(KeyAlgorithm algorithm) {
        KeyAndChain recipient = DocumentPki.signer(algorithm, DocumentPki.H41);
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        byte[] cms = Receipts.sign(DeliveryReceiptTest.delivered(), recipient, null);
        VerifiedSignature verified = Receipts.verify(cms, RECEIPT);

        assertThat(verified.signer()).isEqualTo(recipient.certificate());
        assertThat(verified.certificates()).containsExactlyElementsOf(recipient.chain());
        assertThat(verified.signingTime()).isBetween(before, Instant.now());
        assertThat(DeliveryReceipt.fromBytes(RECEIPT)).isEqualTo(DeliveryReceiptTest.delivered());
    }

    @Test
    void refusesAChangedReceipt() {
        KeyAndChain recipient = DocumentPki.signer(KeyAlgorithm.EC, DocumentPki.H41);
        byte[] cms = Receipts.sign(DeliveryReceiptTest.delivered(), recipient, null);
        DeliveryReceipt changed = DeliveryReceiptTest.refused(DeliveryReceiptTest.PLAINTEXT_DIGEST);

        assertThatThrownBy(() -> Receipts.verify(cms, changed.toBytes()))
                .isInstanceOf(TrucException.class)
                .hasMessageStartingWith("delivery receipt: ")
                .hasMessageContaining("does not verify")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
    }

    @Test
    void refusesSignedBytesThatAreNotAReceipt() {
        byte[] notAReceipt = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] cms = MessageSignatures.sign(notAReceipt, DocumentPki.signer(KeyAlgorithm.RSA, DocumentPki.H41), null);

        assertThatThrownBy(() -> Receipts.verify(cms, notAReceipt))
                .isInstanceOf(TrucException.class)
                .hasMessageStartingWith("delivery receipt: ")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
}
