package vn.truc.core.crypto;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** X.509 certificates: parsing, PEM, fingerprints, identities and issuing, through BouncyCastle. */
public final class Certificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {}

    public static X509Certificate fromDer(byte[] der) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a valid X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** The first certificate in PEM text. */
    public static X509Certificate fromPem(String pem) {
        List<X509Certificate> all = allFromPem(pem);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no CERTIFICATE block in PEM text");
        }
        return all.get(0);
    }

    public static List<X509Certificate> allFromPem(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (byte[] der : Pem.read(pem, "CERTIFICATE")) {
            certificates.add(fromDer(der));
        }
        return certificates;
    }

    public static String toPem(X509Certificate certificate) {
        return Pem.write(certificate);
    }

    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of the DER encoding in lower-case hex: how global configuration names a certificate. */
    public static String sha256Hex(X509Certificate certificate) {
        return Digests.sha256Hex(der(certificate));
    }

    /** The subject's serialNumber attribute, where Truc certificates carry the holder's identifier. */
    public static Optional<String> subjectSerialNumber(X509Certificate certificate) {
        X500Name name =
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] rdns = name.getRDNs(BCStyle.SERIALNUMBER);
        if (rdns.length == 0) {
            return Optional.empty();
        }
        ASN1Encodable value = rdns[0].getFirst().getValue();
        return Optional.of(IETFUtils.valueToString(value));
    }

    /** Whether {@code certificate} is within its validity period at {@code when}. */
    public static boolean isValidAt(X509Certificate certificate, Instant when) {
        Date at = Date.from(when);
        return !at.before(certificate.getNotBefore()) && !at.after(certificate.getNotAfter());
    }

    /** A self-signed certificate, e.g. a CA root or the configuration-signing certificate. */
    public static X509Certificate selfSigned(
            KeyPair keyPair, X500Name subject, Duration validity, CertificateProfile profile) {
        return issue(
                new Issuer(subject, keyPair.getPrivate(), keyPair.getPublic()),
                subject,
                keyPair.getPublic(),
                validity,
                profile,
                null);
    }

    /**
     * Issues a certificate for {@code publicKey}. {@code ocspUrl}, when given, goes into the
     * authority information access extension so relying parties know where to ask.
     */
    public static X509Certificate issue(
            Issuer issuer,
            X500Name subject,
            PublicKey publicKey,
            Duration validity,
            CertificateProfile profile,
            String ocspUrl) {
        Instant now = Instant.now();
        return issue(issuer, subject, publicKey, now.minusSeconds(60), now.plus(validity), profile, ocspUrl);
    }

    /** Issues a certificate with an explicit validity window (tests make expired ones this way). */
    public static X509Certificate issue(
            Issuer issuer,
            X500Name subject,
            PublicKey publicKey,
            Instant notBefore,
            Instant notAfter,
            CertificateProfile profile,
            String ocspUrl) {
        try {
            BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer.name(), serial, Date.from(notBefore), Date.from(notAfter), subject, publicKey);
            addExtensions(builder, issuer, publicKey, profile, ocspUrl);
            ContentSigner signer = new JcaContentSignerBuilder(
                            KeyAlgorithm.of(issuer.privateKey()).signatureAlgorithm())
                    .build(issuer.privateKey());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot issue certificate for " + subject, e);
        }
    }

    private static void addExtensions(
            X509v3CertificateBuilder builder,
            Issuer issuer,
            PublicKey publicKey,
            CertificateProfile profile,
            String ocspUrl)
            throws GeneralSecurityException, CertIOException {
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
        builder.addExtension(
                Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer.publicKey()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(profile == CertificateProfile.CA));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(profile.keyUsage));
        if (profile.extendedKeyUsage != null) {
            boolean critical = profile == CertificateProfile.TSA;
            builder.addExtension(Extension.extendedKeyUsage, critical, new ExtendedKeyUsage(profile.extendedKeyUsage));
        }
        if (ocspUrl != null) {
            AccessDescription ocsp = new AccessDescription(
                    AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl));
            builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(ocsp));
        }
    }

    /** Who signs a certificate: its name, private key and public key. */
    public record Issuer(X500Name name, PrivateKey privateKey, PublicKey publicKey) {
        /** The issuer that a CA certificate and its key make. */
        public static Issuer of(X509Certificate certificate, PrivateKey privateKey) {
            return new Issuer(
                    X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                    privateKey,
                    certificate.getPublicKey());
        }
    }
}
