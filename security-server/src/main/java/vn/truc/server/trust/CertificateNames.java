package vn.truc.server.trust;

import java.security.cert.X509Certificate;
import java.util.Locale;

/** How trust messages name a certificate, so that an operator can find it: serial and subject. */
final class CertificateNames {
    private CertificateNames() {}

    /** {@code certificate 3F2A… of SERIALNUMBER=VN/GOV/000.00.00.G22/ss1, CN=ss1}. */
    static String describe(X509Certificate certificate) {
        return "certificate " + serialHex(certificate) + " of " + subject(certificate);
    }

    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().toString();
    }

    static String issuer(X509Certificate certificate) {
        return certificate.getIssuerX500Principal().toString();
    }

    /** Upper-case hex, as {@code openssl x509 -serial} and CA index files print it. */
    static String serialHex(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
    }
}
