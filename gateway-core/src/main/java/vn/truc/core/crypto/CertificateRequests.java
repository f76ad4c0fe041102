package vn.truc.core.crypto;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 certificate signing requests: creation, PEM, and proof that the requester holds the key. */
public final class CertificateRequests {
    /** BouncyCastle resolves key algorithms by OID, which the JDK's providers do not all do for EC. */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private CertificateRequests() {}

    public static PKCS10CertificationRequest create(KeyPair keyPair, X500Name subject) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic())
                    .build(new JcaContentSignerBuilder(
                                    KeyAlgorithm.of(keyPair.getPrivate()).signatureAlgorithm())
                            .build(keyPair.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot create CSR for " + subject, e);
        }
    }

    public static String toPem(PKCS10CertificationRequest request) {
        return Pem.write(request);
    }

    /** Parses a PEM CSR and checks its self-signature, which proves possession of the key. */
    public static PKCS10CertificationRequest fromPemVerified(String pem) {
        var blocks = Pem.read(pem, "CERTIFICATE REQUEST");
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no CERTIFICATE REQUEST block in PEM text");
        }
        try {
            PKCS10CertificationRequest request = new PKCS10CertificationRequest(blocks.get(0));
            var verifier =
                    new JcaContentVerifierProviderBuilder().setProvider(BC).build(request.getSubjectPublicKeyInfo());
            if (!request.isSignatureValid(verifier)) {
                throw new IllegalArgumentException("CSR signature does not verify: no proof of possession of the key");
            }
            return request;
        } catch (IOException | OperatorCreationException | PKCSException e) {
            throw new IllegalArgumentException("not a valid CSR: " + e.getMessage(), e);
        }
    }

    public static PublicKey publicKey(PKCS10CertificationRequest request) {
        try {
            return new JcaPKCS10CertificationRequest(request).setProvider(BC).getPublicKey();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("CSR public key is not usable: " + e.getMessage(), e);
        }
    }
}
