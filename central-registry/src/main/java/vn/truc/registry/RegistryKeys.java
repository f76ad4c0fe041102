package vn.truc.registry;

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
import vn.truc.core.crypto.KeyStores;
import vn.truc.core.crypto.KeyStores.KeyAndChain;

/**
 * The registry's keys, each in its own PIN-protected PKCS#12 file under {@code keys/}: the
 * configuration-signing key, and the keys of the embedded CA, OCSP responder and TSA.
 */
public record RegistryKeys(KeyAndChain confSigning, KeyAndChain ca, KeyAndChain ocsp, KeyAndChain tsa) {
    private static final Duration ROOT_VALIDITY = Duration.ofDays(3650 * 2);
    private static final Duration SERVICE_VALIDITY = Duration.ofDays(3650);

    /** Creates every key and certificate for a new registry of {@code instance}. */
    static RegistryKeys create(Path keysDir, String instance, String ocspUrl, char[] pin) {
        KeyPair signing = KeyPairs.generate(KeyAlgorithm.RSA);
        X509Certificate signingCert = Certificates.selfSigned(
                signing,
                new X500Name("CN=" + instance + " global configuration signer, O=Truc"),
                ROOT_VALIDITY,
                CertificateProfile.CONF_SIGNING);
        KeyPair caPair = KeyPairs.generate(KeyAlgorithm.RSA);
        X509Certificate caCert = Certificates.selfSigned(
                caPair, new X500Name("CN=" + instance + " Truc CA, O=Truc"), ROOT_VALIDITY, CertificateProfile.CA);
        Certificates.Issuer issuer = Certificates.Issuer.of(caCert, caPair.getPrivate());
        KeyAndChain ca = new KeyAndChain(caPair.getPrivate(), List.of(caCert));
        RegistryKeys keys = new RegistryKeys(
                new KeyAndChain(signing.getPrivate(), List.of(signingCert)),
                ca,
                service(
                        issuer,
                        caCert,
                        "CN=" + instance + " Truc OCSP responder, O=Truc",
                        CertificateProfile.OCSP,
                        null),
                service(issuer, caCert, "CN=" + instance + " Truc TSA, O=Truc", CertificateProfile.TSA, ocspUrl));
        keys.save(keysDir, pin);
        return keys;
    }

    static RegistryKeys load(Path keysDir, char[] pin) {
        return new RegistryKeys(
                KeyStores.load(keysDir.resolve("conf-signing.p12"), pin),
                KeyStores.load(keysDir.resolve("ca.p12"), pin),
                KeyStores.load(keysDir.resolve("ocsp.p12"), pin),
                KeyStores.load(keysDir.resolve("tsa.p12"), pin));
    }

    static boolean exist(Path keysDir) {
        return Files.exists(keysDir.resolve("conf-signing.p12"));
    }

    private void save(Path keysDir, char[] pin) {
        KeyStores.save(keysDir.resolve("conf-signing.p12"), confSigning, pin);
        KeyStores.save(keysDir.resolve("ca.p12"), ca, pin);
        KeyStores.save(keysDir.resolve("ocsp.p12"), ocsp, pin);
        KeyStores.save(keysDir.resolve("tsa.p12"), tsa, pin);
    }

    private static KeyAndChain service(
            Certificates.Issuer issuer,
            X509Certificate caCert,
            String subject,
            CertificateProfile profile,
            String ocspUrl) {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.RSA);
        X509Certificate cert =
                Certificates.issue(issuer, new X500Name(subject), pair.getPublic(), SERVICE_VALIDITY, profile, ocspUrl);
        return new KeyAndChain(pair.getPrivate(), List.of(cert, caCert));
    }
}
