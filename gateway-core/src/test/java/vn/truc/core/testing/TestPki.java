package vn.truc.core.testing;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.crypto.KeyStores.KeyAndChain;

/** Test PKI made in code: a CA and the certificates tests need, valid or expired. */
public final class TestPki {
    private final KeyAndChain ca;

    private TestPki(KeyAndChain ca) {
        this.ca = ca;
    }

    public static TestPki newCa(String name) {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.RSA);
        X509Certificate cert =
                Certificates.selfSigned(pair, new X500Name("CN=" + name), Duration.ofDays(365), CertificateProfile.CA);
        return new TestPki(new KeyAndChain(pair.getPrivate(), List.of(cert)));
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    public KeyAndChain ca() {
        return ca;
    }

    /** A certificate naming {@code holder} in its subject serialNumber, as Truc's CA issues them. */
    public KeyAndChain issue(String holder, CertificateProfile profile) {
        Instant now = Instant.now();
        return issue(holder, profile, now.minusSeconds(60), now.plus(Duration.ofDays(30)));
    }

    public KeyAndChain issueExpired(String holder, CertificateProfile profile) {
        Instant now = Instant.now();
        return issue(holder, profile, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    }

    public KeyAndChain issue(String holder, CertificateProfile profile, Instant notBefore, Instant notAfter) {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.RSA);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, holder.substring(holder.lastIndexOf('/') + 1))
                .addRDN(BCStyle.SERIALNUMBER, holder)
                .build();
        X509Certificate cert = Certificates.issue(
                Certificates.Issuer.of(ca.certificate(), ca.privateKey()),
                subject,
                pair.getPublic(),
                notBefore,
                notAfter,
                profile,
                null);
        return new KeyAndChain(pair.getPrivate(), List.of(cert, ca.certificate()));
    }
}
