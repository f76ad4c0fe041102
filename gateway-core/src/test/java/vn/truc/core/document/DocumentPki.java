package vn.truc.core.document;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.testing.TestPki;

/** Members' encryption and sign keys from one test CA. */
final class DocumentPki {
    static final TestPki PKI = TestPki.newCa("Truc Document Test CA");
    static final String G22 = "VN/GOV/000.00.00.G22";
    static final String H41 = "VN/GOV/000.00.00.H41";

    private static final SecureRandom RANDOM = new SecureRandom();

    private DocumentPki() {}

    /** An encryption key: key usage keyEncipherment for RSA, keyAgreement for EC. */
    static KeyAndChain recipient(KeyAlgorithm algorithm, String member) {
        int usage = algorithm == KeyAlgorithm.RSA ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
        return issue(algorithm, member, usage);
    }

    /** A member's sign key, as the CA issues it. */
    static KeyAndChain signer(KeyAlgorithm algorithm, String member) {
        if (algorithm == KeyAlgorithm.RSA) {
            return PKI.issue(member, CertificateProfile.SIGN);
        }
        KeyPair pair = KeyPairs.generate(algorithm);
        X509Certificate certificate = Certificates.issue(
                Certificates.Issuer.of(PKI.caCertificate(), PKI.ca().privateKey()),
                name(member),
                pair.getPublic(),
                Duration.ofDays(30),
                CertificateProfile.SIGN,
                null);
        return new KeyAndChain(pair.getPrivate(), List.of(certificate, PKI.caCertificate()));
    }

    static KeyAndChain issue(KeyAlgorithm algorithm, String member, int keyUsage) {
        try {
            KeyPair pair = KeyPairs.generate(algorithm);
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(
                    PKI.caCertificate(),
                    new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(Duration.ofDays(30))),
                    name(member),
                    pair.getPublic());
            builder.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            var signer =
                    new JcaContentSignerBuilder("SHA256withRSA").build(PKI.ca().privateKey());
            var certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new KeyAndChain(pair.getPrivate(), List.of(certificate, PKI.caCertificate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X500Name name(String member) {
        return new X500Name("CN=" + member.substring(member.lastIndexOf('/') + 1) + ",SERIALNUMBER=" + member);
    }
}
