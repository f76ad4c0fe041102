package vn.truc.core.message;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link MessageSignatures#verify(byte[], byte[])} found in a signature that verifies: the
 * signer's certificate, every certificate the CMS carries (the signer's first), the DER OCSP
 * response for the signer's certificate if one travels with it, and the signing time the signer
 * claims. None of it is trusted yet: the caller checks the certificate and the OCSP response.
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out, so the record stays immutable
public record VerifiedSignature(
        X509Certificate signer, List<X509Certificate> certificates, byte[] ocspResponseDer, Instant signingTime) {

    public VerifiedSignature {
        Objects.requireNonNull(signer, "signer");
        certificates = List.copyOf(certificates);
        ocspResponseDer = ocspResponseDer == null ? null : ocspResponseDer.clone();
        Objects.requireNonNull(signingTime, "signingTime");
    }

    /** A copy of the DER OCSP response, or null when none travelled with the signature. */
    @Override
    public byte[] ocspResponseDer() {
        return ocspResponseDer == null ? null : ocspResponseDer.clone();
    }
}
