package vn.truc.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.testing.TestPki;

class MessageSignaturesTest {
    static final TestPki PKI = TestPki.newCa("Truc Test CA");
    static final byte[] MANIFEST = MessageManifestTest.request().toBytes();
    private static final String MEMBER = "VN/GOV/000.00.00.G22";

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void roundTrips(KeyAlgorithm algorithm) {
        KeyAndChain signer = signer(algorithm);
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        VerifiedSignature verified = MessageSignatures.verify(MessageSignatures.sign(MANIFEST, signer, null), MANIFEST);

        assertThat(verified.signer()).isEqualTo(signer.certificate());
        assertThat(verified.certificates()).containsExactlyElementsOf(signer.chain());
        assertThat(verified.ocspResponseDer()).isNull();
        assertThat(verified.signingTime()).isBetween(before, Instant.now());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void refusesAChangedManifestByte(KeyAlgorithm algorithm) {
        byte[] cms = MessageSignatures.sign(MANIFEST, signer(algorithm), null);
        byte[] changed = MANIFEST.clone();
        changed[changed.length / 2] ^= 1;
        assertRefused(cms, changed, "message signature does not verify (manifest changed or wrong key)");
    }

    @Test
    void refusesGarbage() throws Exception {
        byte[] random = new byte[300];
        new Random(1).nextBytes(random);
        byte[] cms = MessageSignatures.sign(MANIFEST, signer(KeyAlgorithm.RSA), null);
        byte[] trailing = Arrays.copyOf(cms, cms.length + 1);

        assertRefused(random, MANIFEST, "not a CMS SignedData");
        assertRefused(new byte[0], MANIFEST, "not a CMS SignedData");
        assertRefused(Certificates.der(PKI.caCertificate()), MANIFEST, "not a CMS SignedData");
        assertRefused(trailing, MANIFEST, "not a CMS SignedData");
        assertRefused(encapsulated(signer(KeyAlgorithm.RSA)), MANIFEST, "expected a detached signature");
    }

    @Test
    void refusesAnotherSignersCertificateSwappedIn() throws Exception {
        byte[] cms = MessageSignatures.sign(MANIFEST, signer(KeyAlgorithm.RSA), null);
        assertRefused(withCertificates(cms, signer(KeyAlgorithm.RSA).chain()), MANIFEST, "once in the CMS, found 0");
    }

    @Test
    void refusesACertificateForAnotherKeyUnderTheSignersName() throws Exception {
        KeyAndChain signer = signer(KeyAlgorithm.RSA);
        PublicKey otherKey = KeyPairs.generate(KeyAlgorithm.RSA).getPublic();
        X509Certificate forged = reissue(signer.certificate(), "CN=G22", otherKey);
        byte[] cms = withCertificates(MessageSignatures.sign(MANIFEST, signer, null), List.of(forged));
        assertRefused(cms, MANIFEST, "does not verify");
    }

    @Test
    void refusesACertificateForTheSameKeyNamingAnotherMember() throws Exception {
        KeyAndChain signer = signer(KeyAlgorithm.RSA);
        X509Certificate other = reissue(
                signer.certificate(),
                "CN=H41,SERIALNUMBER=VN/GOV/000.00.00.H41",
                signer.certificate().getPublicKey());
        byte[] cms = withCertificates(MessageSignatures.sign(MANIFEST, signer, null), List.of(other));
        assertRefused(cms, MANIFEST, "names another certificate");
    }

    @Test
    void refusesASignatureMadeWhileItsCertificateHadExpired() {
        KeyAndChain expired = PKI.issueExpired(MEMBER, CertificateProfile.SIGN);
        byte[] cms = MessageSignatures.sign(MANIFEST, expired, null);
        assertRefused(cms, MANIFEST, "the signer's certificate was not valid at the signing time");
    }

    @Test
    void carriesTheSignersOcspResponse() throws Exception {
        KeyAndChain signer = signer(KeyAlgorithm.EC);
        byte[] ocsp = ocspResponse(signer.certificate(), OCSPRespBuilder.SUCCESSFUL);

        VerifiedSignature verified = MessageSignatures.verify(MessageSignatures.sign(MANIFEST, signer, ocsp), MANIFEST);

        assertThat(verified.ocspResponseDer()).isEqualTo(ocsp);
    }

    @Test
    void refusesToCarryAnUnsuccessfulOcspResponse() throws Exception {
        byte[] ocsp = ocspResponse(PKI.caCertificate(), OCSPRespBuilder.UNAUTHORIZED);
        assertThatThrownBy(() -> MessageSignatures.sign(MANIFEST, signer(KeyAlgorithm.RSA), ocsp))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("cannot add unsuccessful OCSP response");
    }

    static KeyAndChain signer(KeyAlgorithm algorithm) {
        if (algorithm == KeyAlgorithm.RSA) {
            return PKI.issue(MEMBER, CertificateProfile.SIGN);
        }
        KeyPair pair = KeyPairs.generate(algorithm);
        X509Certificate certificate = Certificates.issue(
                Certificates.Issuer.of(PKI.caCertificate(), PKI.ca().privateKey()),
                new X500Name("CN=G22,SERIALNUMBER=" + MEMBER),
                pair.getPublic(),
                Duration.ofDays(30),
                CertificateProfile.SIGN,
                null);
        return new KeyAndChain(pair.getPrivate(), List.of(certificate, PKI.caCertificate()));
    }

    /** A certificate from the same CA with the same serial as {@code original}: only the CA could make it. */
    private static X509Certificate reissue(X509Certificate original, String subject, PublicKey key) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(
                PKI.caCertificate(),
                original.getSerialNumber(),
                original.getNotBefore(),
                original.getNotAfter(),
                new X500Name(subject),
                key);
        var signer = new JcaContentSignerBuilder("SHA256withRSA").build(PKI.ca().privateKey());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static byte[] withCertificates(byte[] cms, List<X509Certificate> certificates) throws Exception {
        List<X509Certificate> all = new ArrayList<>(certificates);
        all.add(PKI.caCertificate());
        return CMSSignedData.replaceCertificatesAndCRLs(new CMSSignedData(cms), new JcaCertStore(all), null, null)
                .getEncoded(ASN1Encoding.DER);
    }

    private static byte[] encapsulated(KeyAndChain signer) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                        new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.privateKey()), signer.certificate()));
        generator.addCertificates(new JcaCertStore(signer.chain()));
        return generator.generate(new CMSProcessableByteArray(MANIFEST), true).getEncoded(ASN1Encoding.DER);
    }

    /** An OCSP response from the test CA: "good" for {@code certificate}, or just an error status. */
    @SuppressWarnings("JavaUtilDate") // BouncyCastle's OCSP builder takes a Date
    static byte[] ocspResponse(X509Certificate certificate, int status) throws Exception {
        if (status != OCSPRespBuilder.SUCCESSFUL) {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        }
        DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
        var sha1 = digests.get(CertificateID.HASH_SHA1);
        var builder = new JcaBasicOCSPRespBuilder(PKI.caCertificate().getPublicKey(), sha1);
        builder.addResponse(
                new JcaCertificateID(sha1, PKI.caCertificate(), certificate.getSerialNumber()), CertificateStatus.GOOD);
        BasicOCSPResp basic = builder.build(
                new JcaContentSignerBuilder("SHA256withRSA").build(PKI.ca().privateKey()), null, new Date());
        return new OCSPRespBuilder().build(status, basic).getEncoded();
    }

    private static void assertRefused(byte[] cms, byte[] manifest, String reason) {
        assertThatThrownBy(() -> MessageSignatures.verify(cms, manifest))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
    }
}
