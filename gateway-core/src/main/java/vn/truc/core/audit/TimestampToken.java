package vn.truc.core.audit;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * An RFC 3161 time-stamp token and what an auditor reads from it.
 *
 * @param der the TimeStampToken as the TSA encoded it: a CMS SignedData ContentInfo, which {@code
 *     openssl ts -verify -token_in} reads
 * @param genTime when the TSA says it stamped
 * @param serial the TSA's serial number of this token
 * @param signer the TSA certificate: the one the token carried after {@link Timestamps#fetch}, or
 *     null if it carried none; the trusted one that verified it after {@link Timestamps#verify}
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out
public record TimestampToken(byte[] der, Instant genTime, BigInteger serial, X509Certificate signer) {
    public TimestampToken {
        der = Objects.requireNonNull(der, "der").clone();
        Objects.requireNonNull(genTime, "genTime");
        Objects.requireNonNull(serial, "serial");
    }

    @Override
    public byte[] der() {
        return der.clone();
    }
}
