package vn.truc.registry.trust;

import java.math.BigInteger;

/** Looks up the status of a certificate issued by one CA, by serial number. */
@FunctionalInterface
public interface CertificateStatusSource {
    CertificateStatus statusOf(BigInteger serialNumber);
}
