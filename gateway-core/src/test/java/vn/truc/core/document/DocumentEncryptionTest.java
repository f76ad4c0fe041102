package vn.truc.core.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.truc.core.document.DocumentPki.G22;
import static vn.truc.core.document.DocumentPki.H41;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;

class DocumentEncryptionTest {
    private static final KeyAndChain RSA = DocumentPki.recipient(KeyAlgorithm.RSA, H41);
    private static final KeyAndChain EC = DocumentPki.recipient(KeyAlgorithm.EC, G22);
    private static final byte[] DOCUMENT = random(3 * 1024 * 1024 + 17);
    private static final String TAMPERED = "document ciphertext fails authentication (changed on the way)";

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void roundTripsAFewMegabytes(KeyAlgorithm algorithm) throws IOException {
        KeyAndChain recipient = algorithm == KeyAlgorithm.RSA ? RSA : EC;
        byte[] cms = encrypt(DOCUMENT, recipient.certificate());

        assertThat(decrypt(cms, recipient)).isEqualTo(DOCUMENT);
    }

    @Test
    void eachOfTwoRecipientsDecrypts() throws IOException {
        byte[] cms = encrypt(DOCUMENT, RSA.certificate(), EC.certificate());

        assertThat(decrypt(cms, RSA)).isEqualTo(DOCUMENT);
        assertThat(decrypt(cms, EC)).isEqualTo(DOCUMENT);
    }

    @Test
    void roundTripsAnEmptyDocument() throws IOException {
        assertThat(decrypt(encrypt(new byte[0], EC.certificate()), EC)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void refusesAChangedCiphertextByte(KeyAlgorithm algorithm) throws Exception {
        KeyAndChain recipient = algorithm == KeyAlgorithm.RSA ? RSA : EC;
        byte[] cms = encrypt(random(100_000), recipient.certificate());
        var content = envelope(cms).getAuthEncryptedContentInfo();
        byte[] ciphertext = content.getEncryptedContent().getOctets();
        int at = indexOf(cms, Arrays.copyOfRange(ciphertext, 70_000, 70_016)) + 5;
        cms[at] ^= 1;

        assertRefused(cms, recipient, TAMPERED);
    }

    @Test
    void refusesAChangedTag() throws Exception {
        byte[] cms = encrypt(random(1000), RSA.certificate());
        cms[indexOf(cms, envelope(cms).getMac().getOctets()) + 15] ^= 1;

        assertRefused(cms, RSA, TAMPERED);
    }

    @Test
    void refusesATruncatedDocument() {
        byte[] cms = encrypt(random(100_000), RSA.certificate());
        assertRefused(Arrays.copyOf(cms, 60_000), RSA, "not a well-formed CMS AuthEnvelopedData");
    }

    @Test
    void refusesAMemberItIsNotEncryptedFor() {
        KeyAndChain other = DocumentPki.recipient(KeyAlgorithm.RSA, H41);
        byte[] cms = encrypt(DOCUMENT, RSA.certificate(), EC.certificate());
        String subject = other.certificate().getSubjectX500Principal().toString();

        assertRefused(cms, other, "document is not encrypted for certificate " + subject);
    }

    @Test
    void refusesOtherContentEncryption() throws Exception {
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(RSA.certificate()));
        byte[] cbc = generator
                .generate(
                        new CMSProcessableByteArray(DOCUMENT),
                        new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build())
                .getEncoded();

        assertRefused(cbc, RSA, "is not accepted (expected AES-256-GCM)");
    }

    @Test
    void refusesGarbage() {
        assertRefused(random(5000), RSA, "not a well-formed CMS AuthEnvelopedData");
        assertRefused(new byte[0], RSA, "not a well-formed CMS AuthEnvelopedData");
    }

    @Test
    void refusesACertificateWhoseKeyUsageForbidsEncryption() {
        KeyAndChain signOnly = DocumentPki.signer(KeyAlgorithm.EC, G22);
        KeyAndChain rsaForAgreement = DocumentPki.issue(KeyAlgorithm.RSA, G22, KeyUsage.keyAgreement);

        assertThatThrownBy(() -> encrypt(DOCUMENT, signOnly.certificate()))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("cannot receive encrypted documents: its key usage lacks keyAgreement")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_CERTIFICATE));
        assertThatThrownBy(() -> encrypt(DOCUMENT, rsaForAgreement.certificate()))
                .hasMessageContaining("its key usage lacks keyEncipherment");
    }

    @Test
    void passesOnTheCallersOwnReadFailure() {
        byte[] cms = encrypt(DOCUMENT, RSA.certificate());
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(cms, 0, 1_000_000)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };

        assertThatThrownBy(() -> DocumentEncryption.decrypt(failing, OutputStream.nullOutputStream(), RSA))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("connection reset");
    }

    static byte[] encrypt(byte[] plaintext, X509Certificate... recipients) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            DocumentEncryption.encrypt(new ByteArrayInputStream(plaintext), out, List.of(recipients));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    static byte[] decrypt(byte[] cms, KeyAndChain recipient) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DocumentEncryption.decrypt(new ByteArrayInputStream(cms), out, recipient);
        return out.toByteArray();
    }

    static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static AuthEnvelopedData envelope(byte[] cms) throws IOException {
        return AuthEnvelopedData.getInstance(
                ContentInfo.getInstance(ASN1Primitive.fromByteArray(cms)).getContent());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static void assertRefused(byte[] cms, KeyAndChain recipient, String reason) {
        assertThatThrownBy(() -> decrypt(cms, recipient))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
}
