package vn.truc.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.testing.TestPki;

class KeyStoresTest {
    @Test
    void keepsKeyAndChainBehindThePin(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.newCa("Test CA");
        KeyAndChain entry = pki.issue("VN/GOV/000.00.00.G22", CertificateProfile.SIGN);
        Path file = dir.resolve("sign.p12");

        KeyStores.save(file, entry, "1234".toCharArray());
        KeyAndChain loaded = KeyStores.load(file, "1234".toCharArray());

        assertThat(loaded.privateKey().getEncoded())
                .isEqualTo(entry.privateKey().getEncoded());
        assertThat(loaded.chain()).containsExactlyElementsOf(entry.chain());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void wrongPinIsABadPinError(@TempDir Path dir) {
        TestPki pki = TestPki.newCa("Test CA");
        Path file = dir.resolve("auth.p12");
        KeyStores.save(file, pki.issue("VN/GOV/000.00.00.G22/ss1", CertificateProfile.AUTH), "1234".toCharArray());

        assertThatThrownBy(() -> KeyStores.load(file, "4321".toCharArray()))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("wrong PIN")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.BAD_PIN));
    }

    @Test
    void certificatesNameTheirHolderAndTheirOcspResponder() throws Exception {
        TestPki pki = TestPki.newCa("Test CA");
        var cert = pki.issue("VN/GOV/000.00.00.H41", CertificateProfile.SIGN).certificate();
        assertThat(Certificates.subjectSerialNumber(cert)).contains("VN/GOV/000.00.00.H41");
        cert.verify(pki.caCertificate().getPublicKey());
        assertThat(Certificates.fromPem(Certificates.toPem(cert))).isEqualTo(cert);
        assertThat(Certificates.sha256Hex(cert)).hasSize(64);
    }

    @Test
    void csrProvesPossessionOfTheKey() {
        var pair = KeyPairs.generate(KeyAlgorithm.EC);
        String pem = CertificateRequests.toPem(
                CertificateRequests.create(pair, new org.bouncycastle.asn1.x500.X500Name("CN=x")));
        assertThat(CertificateRequests.publicKey(CertificateRequests.fromPemVerified(pem))
                        .getEncoded())
                .isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void csrSignedByAnotherKeyIsRefused() throws Exception {
        var claimed = KeyPairs.generate(KeyAlgorithm.RSA);
        var other = KeyPairs.generate(KeyAlgorithm.RSA);
        var csr = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                        new org.bouncycastle.asn1.x500.X500Name("CN=x"), claimed.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                        .build(other.getPrivate()));
        assertThatThrownBy(() -> CertificateRequests.fromPemVerified(CertificateRequests.toPem(csr)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no proof of possession");
        assertThatThrownBy(() -> CertificateRequests.fromPemVerified(
                        "-----BEGIN CERTIFICATE REQUEST-----\n!!\n-----END CERTIFICATE REQUEST-----\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
