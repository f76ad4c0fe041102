package vn.truc.registry.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.crypto.KeyStores.KeyAndChain;

/** A throwaway CA for tests: every key is generated in memory, nothing is committed. */
final class TestPki {
    private static final Duration VALIDITY = Duration.ofDays(1);

    private final KeyAndChain ca;

    private TestPki(KeyAndChain ca) {
        this.ca = ca;
    }

    static TestPki create(String caName) {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.RSA);
        X509Certificate certificate =
                Certificates.selfSigned(keys, new X500Name("CN=" + caName), VALIDITY, CertificateProfile.CA);
        return new TestPki(new KeyAndChain(keys.getPrivate(), List.of(certificate)));
    }

    X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** A new key and a certificate for it, chain leaf first and ending at this CA. */
    KeyAndChain issue(String commonName, CertificateProfile profile, KeyAlgorithm algorithm) {
        KeyPair keys = KeyPairs.generate(algorithm);
        X509Certificate certificate = Certificates.issue(
                Certificates.Issuer.of(ca.certificate(), ca.privateKey()),
                new X500Name("CN=" + commonName),
                keys.getPublic(),
                VALIDITY,
                profile,
                null);
        return new KeyAndChain(keys.getPrivate(), List.of(certificate, ca.certificate()));
    }

    KeyAndChain issue(String commonName, CertificateProfile profile) {
        return issue(commonName, profile, KeyAlgorithm.RSA);
    }

    static Path writePem(Path file, X509Certificate certificate) {
        try {
            return Files.writeString(file, Certificates.toPem(certificate));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
