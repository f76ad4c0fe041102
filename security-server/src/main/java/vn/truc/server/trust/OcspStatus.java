package vn.truc.server.trust;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A verified OCSP answer that a certificate is good: the DER OCSPResponse as the responder sent it
 * (so it can travel with a signed message and be checked again by its recipient) and the period
 * it speaks for. {@code nextUpdate} is {@code null} when the responder did not promise one.
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out; equality compares contents
public record OcspStatus(byte[] responseDer, Instant thisUpdate, Instant nextUpdate) {
    public OcspStatus {
        responseDer = Objects.requireNonNull(responseDer, "responseDer").clone();
        Objects.requireNonNull(thisUpdate, "thisUpdate");
    }

    /** A copy of the DER OCSPResponse. */
    @Override
    public byte[] responseDer() {
        return responseDer.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OcspStatus that
                && Arrays.equals(responseDer, that.responseDer)
                && thisUpdate.equals(that.thisUpdate)
                && Objects.equals(nextUpdate, that.nextUpdate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(responseDer), thisUpdate, nextUpdate);
    }

    @Override
    public String toString() {
        return "OcspStatus[" + responseDer.length + " bytes, thisUpdate=" + thisUpdate + ", nextUpdate=" + nextUpdate
                + "]";
    }
}
