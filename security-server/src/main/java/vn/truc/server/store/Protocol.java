package vn.truc.server.store;

import java.util.Locale;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** How a service's backend is called: X-Road's REST r1 or SOAP 4.0 message protocol. */
public enum Protocol {
    REST,
    SOAP;

    /** Parses {@code rest} or {@code soap}, in any case. */
    public static Protocol parse(String text) {
        if (text != null) {
            for (Protocol p : values()) {
                if (p.name().equals(text.toUpperCase(Locale.ROOT))) {
                    return p;
                }
            }
        }
        throw new TrucException(
                Origin.CLIENT, ErrorCode.INVALID_REQUEST, "protocol: '" + text + "' (expected: rest or soap)");
    }
}
