package vn.truc.server.store;

import java.util.Locale;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** How a client subsystem's information system must call the client proxy, as in X-Road. */
public enum ConnectionType {
    /** Any client-proxy listener, plain HTTP included; the default. */
    HTTP,
    /** Over HTTPS, with or without a client certificate. */
    HTTPS_NO_AUTH,
    /** Over HTTPS with a client certificate registered for the subsystem. */
    HTTPS;

    /** Parses {@code HTTP}, {@code HTTPS_NO_AUTH} or {@code HTTPS}, in any case. */
    public static ConnectionType parse(String text) {
        if (text != null) {
            for (ConnectionType t : values()) {
                if (t.name().equals(text.toUpperCase(Locale.ROOT))) {
                    return t;
                }
            }
        }
        throw new TrucException(
                Origin.CLIENT,
                ErrorCode.INVALID_REQUEST,
                "connection type: '" + text + "' (expected: HTTP, HTTPS_NO_AUTH or HTTPS)");
    }
}
