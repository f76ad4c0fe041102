package vn.truc.core.error;

/**
 * Stable error codes. The lower-case string of each code never changes once released: clients,
 * scripts and auditors match on it.
 */
public enum ErrorCode {
    INVALID_IDENTIFIER("invalid_identifier", 400),
    INVALID_CONFIG("invalid_config", 500),
    INVALID_REQUEST("invalid_request", 400),
    INVALID_XML("invalid_xml", 400),
    HOSTILE_XML("hostile_xml", 400),
    INVALID_SIGNATURE("invalid_signature", 400),
    INVALID_CERTIFICATE("invalid_certificate", 400),
    CONF_EXPIRED("conf_expired", 503),
    CONF_OUTDATED("conf_outdated", 409),
    CONF_UNAVAILABLE("conf_unavailable", 503),
    UNKNOWN_MEMBER("unknown_member", 404),
    UNKNOWN_SERVER("unknown_server", 404),
    UNKNOWN_REQUEST("unknown_request", 404),
    NOT_FOUND("not_found", 404),
    ALREADY_EXISTS("already_exists", 409),
    INVALID_STATE("invalid_state", 409),
    ACCESS_DENIED("access_denied", 403),
    UNKNOWN_SERVICE("unknown_service", 404),
    /** The recipient takes no part in document exchange (no document subsystem or encryption key). */
    DOCUMENTS_NOT_ACCEPTED("documents_not_accepted", 422),
    SERVICE_FAILED("service_failed", 502),
    INVALID_RESPONSE("invalid_response", 502),
    BAD_PIN("bad_pin", 401),
    SERVICE_DISABLED("service_disabled", 503),
    NETWORK_ERROR("network_error", 502),
    TIMEOUT("timeout", 504),
    BODY_TOO_LARGE("body_too_large", 413),
    DATABASE_ERROR("database_error", 500),
    /** The message log could not be timestamped for longer than the grace period: traffic stops. */
    TIMESTAMP_FAILED("timestamp_failed", 503),
    INTERNAL_ERROR("internal_error", 500);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The stable lower-case code, e.g. {@code conf_expired}. */
    public String code() {
        return code;
    }

    /** The HTTP status a REST caller receives for this code. */
    public int httpStatus() {
        return httpStatus;
    }
}
