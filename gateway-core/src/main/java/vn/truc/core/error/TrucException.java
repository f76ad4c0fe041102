package vn.truc.core.error;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The one exception type of the error vocabulary: an origin, a stable code, a message that says
 * what is wrong and what to do, and a fault id that is also written to the log so an operator can
 * find the log line a caller reports.
 */
public final class TrucException extends RuntimeException {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Origin origin;
    private final ErrorCode code;
    private final String faultId;

    public TrucException(Origin origin, ErrorCode code, String message) {
        this(origin, code, message, null);
    }

    public TrucException(Origin origin, ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.origin = origin;
        this.code = code;
        this.faultId = newFaultId();
    }

    private TrucException(Origin origin, TrucException other) {
        super(other.getMessage(), other.getCause());
        this.origin = origin;
        this.code = other.code;
        this.faultId = other.faultId;
    }

    /** The same error (same code, message and fault id) seen from another origin. */
    public TrucException withOrigin(Origin newOrigin) {
        return newOrigin == origin ? this : new TrucException(newOrigin, this);
    }

    public Origin origin() {
        return origin;
    }

    public ErrorCode code() {
        return code;
    }

    public String faultId() {
        return faultId;
    }

    /** One line for logs and the CLI: {@code origin/code: message [fault id]}. */
    public String describe() {
        return origin.wireName() + "/" + code.code() + ": " + getMessage() + " [fault " + faultId + "]";
    }

    private static String newFaultId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
