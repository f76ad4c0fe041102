package vn.truc.core.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON form of an error for REST callers, in X-Road's shape: {@code {"type":
 * "server.clientproxy.access_denied", "message": "...", "detail": "<fault id>"}}. The same type
 * goes into the {@value #HEADER} header.
 */
public final class ErrorJson {
    public static final String HEADER = "X-Road-Error";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorJson() {}

    /** {@code origin.code}, e.g. {@code registry.unknown_member}. */
    public static String type(TrucException e) {
        return e.origin().wireName() + "." + e.code().code();
    }

    public static byte[] body(TrucException e) {
        return body(e, e.getMessage());
    }

    /**
     * The body with another message than the exception's: for callers outside the organisation,
     * who get the code and fault id but not internal detail (addresses, paths, SQL).
     */
    public static byte[] body(TrucException e, String publicMessage) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type(e));
        node.put("message", publicMessage);
        node.put("detail", e.faultId());
        try {
            return JSON.writeValueAsBytes(node);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
