package vn.truc.core.soap;

import java.util.Arrays;
import java.util.Objects;

/**
 * A SOAP message as received: its X-Road headers and the exact bytes of the envelope, which are what
 * gets hashed, signed and logged. The array is not copied; nobody may change it.
 *
 * @param soap12 {@code false} for SOAP 1.1, the only version X-Road message protocol 4.0 uses
 */
@SuppressWarnings("ArrayRecordComponent") // the envelope is shared, not copied: it can be large
public record SoapMessage(XRoadHeaders headers, byte[] envelope, boolean soap12) {
    public SoapMessage {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(envelope, "envelope");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SoapMessage m
                && headers.equals(m.headers)
                && Arrays.equals(envelope, m.envelope)
                && soap12 == m.soap12;
    }

    @Override
    public int hashCode() {
        return Objects.hash(headers, Arrays.hashCode(envelope), soap12);
    }

    @Override
    public String toString() {
        return "SoapMessage[headers=" + headers + ", envelope=" + envelope.length + " bytes, soap12=" + soap12 + "]";
    }
}
