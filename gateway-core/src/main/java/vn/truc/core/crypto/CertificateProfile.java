package vn.truc.core.crypto;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/** What a certificate is for; each profile fixes its key usages. */
public enum CertificateProfile {
    /** A certification authority. */
    CA(KeyUsage.keyCertSign | KeyUsage.cRLSign, null),
    /** A security server's TLS identity towards its peers. */
    AUTH(
            KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}),
    /** A member's signing key: non-repudiation of what it sends. */
    SIGN(KeyUsage.digitalSignature | KeyUsage.nonRepudiation, null),
    /**
     * A member's document-encryption key: documents are encrypted to it end to end (RSA key transport
     * or EC key agreement), and it signs nothing.
     */
    ENCRYPTION(KeyUsage.keyEncipherment | KeyUsage.keyAgreement, null),
    /** An OCSP responder's signing key. */
    OCSP(KeyUsage.digitalSignature, new KeyPurposeId[] {KeyPurposeId.id_kp_OCSPSigning}),
    /** A timestamping authority; RFC 3161 wants this extended key usage critical. */
    TSA(KeyUsage.digitalSignature | KeyUsage.nonRepudiation, new KeyPurposeId[] {KeyPurposeId.id_kp_timeStamping}),
    /** The registry's global-configuration signing key. */
    CONF_SIGNING(KeyUsage.digitalSignature | KeyUsage.nonRepudiation, null);

    final int keyUsage;
    final KeyPurposeId[] extendedKeyUsage;

    CertificateProfile(int keyUsage, KeyPurposeId[] extendedKeyUsage) {
        this.keyUsage = keyUsage;
        this.extendedKeyUsage = extendedKeyUsage;
    }
}
