package vn.truc.core.audit;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The CMS signature over an export: one signer, whose certificate the export carries, signed
 * the content as it is now, and that certificate is one of the trusted ones or was issued by one
 * (through certificates the export carries).
 */
final class ExportSignature {
    private static final Provider BC = new BouncyCastleProvider();
    private static final int MAX_CHAIN = 5;

    private ExportSignature() {}

    /** The signer certificate if the signature verifies; otherwise adds what is wrong to {@code problems}. */
    static X509Certificate check(CMSSignedData cms, List<X509Certificate> trusted, List<String> problems) {
        Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            problems.add(signers.size() + " signers (expected: exactly one, the exporting server)");
            return null;
        }
        SignerInformation signer = signers.iterator().next();
        List<X509Certificate> carried = carried(cms);
        X509Certificate cert = carried.stream()
                .filter(c -> signer.getSID().match(holder(c)))
                .findFirst()
                .orElse(null);
        if (cert == null) {
            problems.add("the signer's certificate is not in the export");
            return null;
        }
        try {
            if (!signer.verify(
                    new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(cert))) {
                problems.add(
                        "does not verify with " + describe(cert) + " (the export was changed after it was signed)");
            }
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            problems.add("does not verify with " + describe(cert) + ": " + e.getMessage()
                    + " (the export was changed after it was signed)");
        }
        if (!chainsToTrusted(cert, carried, trusted)) {
            problems.add("signer " + describe(cert) + " is not a trusted certificate nor issued by one");
        }
        return cert;
    }

    static String describe(X509Certificate cert) {
        return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()) + " (serial "
                + cert.getSerialNumber().toString(16) + ")";
    }

    private static boolean chainsToTrusted(
            X509Certificate cert, List<X509Certificate> carried, List<X509Certificate> trusted) {
        X509Certificate current = cert;
        for (int depth = 0; depth < MAX_CHAIN; depth++) {
            if (trusted.contains(current)) {
                return true;
            }
            for (X509Certificate anchor : trusted) {
                if (issued(anchor, current)) {
                    return true;
                }
            }
            X509Certificate next = null;
            for (X509Certificate candidate : carried) {
                if (!candidate.equals(current) && issued(candidate, current)) {
                    next = candidate;
                }
            }
            if (next == null) {
                return false;
            }
            current = next;
        }
        return false;
    }

    private static boolean issued(X509Certificate issuer, X509Certificate cert) {
        if (!issuer.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<X509Certificate> carried(CMSSignedData cms) {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(BC);
        @SuppressWarnings("unchecked") // BouncyCastle hands out a raw Store
        Collection<X509CertificateHolder> holders = cms.getCertificates().getMatches(null);
        for (X509CertificateHolder holder : holders) {
            try {
                certs.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                // an unreadable extra certificate cannot help the chain; the signer's absence is reported
            }
        }
        return certs;
    }

    private static X509CertificateHolder holder(X509Certificate cert) {
        try {
            return new X509CertificateHolder(cert.getEncoded());
        } catch (java.io.IOException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("unreadable certificate " + describe(cert), e);
        }
    }
}
