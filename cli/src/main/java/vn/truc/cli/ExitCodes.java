package vn.truc.cli;

import vn.truc.core.error.ErrorCode;

/**
 * The exit codes of {@code truc}, stable across releases so scripts can rely on them.
 *
 * <pre>
 *  0  success
 *  1  a check failed (e.g. a demo step)
 *  2  usage error: unknown command or option, missing argument
 *  3  configuration invalid or unreadable
 *  4  invalid input: identifier, request, XML (malformed or hostile)
 *  5  not found: unknown member, server or request
 *  6  conflict: already exists, wrong state, outdated configuration
 *  7  security: invalid signature or certificate, wrong PIN, access denied
 *  8  unavailable: network error, timeout, expired or missing global configuration, disabled service
 *  9  database error
 * 70  internal error (a bug: please report it with the fault id)
 * </pre>
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int USAGE = 2;
    public static final int CONFIG = 3;
    public static final int INVALID_INPUT = 4;
    public static final int NOT_FOUND = 5;
    public static final int CONFLICT = 6;
    public static final int SECURITY = 7;
    public static final int UNAVAILABLE = 8;
    public static final int DATABASE = 9;
    public static final int INTERNAL = 70;

    private ExitCodes() {}

    public static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_CONFIG -> CONFIG;
            case INVALID_IDENTIFIER, INVALID_REQUEST, INVALID_XML, HOSTILE_XML, BODY_TOO_LARGE -> INVALID_INPUT;
            case UNKNOWN_MEMBER, UNKNOWN_SERVER, UNKNOWN_REQUEST, UNKNOWN_SERVICE, NOT_FOUND -> NOT_FOUND;
            case ALREADY_EXISTS, INVALID_STATE, CONF_OUTDATED, DOCUMENTS_NOT_ACCEPTED -> CONFLICT;
            case TIMESTAMP_FAILED -> UNAVAILABLE;
            case INVALID_SIGNATURE, INVALID_CERTIFICATE, BAD_PIN, ACCESS_DENIED -> SECURITY;
            case NETWORK_ERROR,
                    TIMEOUT,
                    CONF_EXPIRED,
                    CONF_UNAVAILABLE,
                    SERVICE_DISABLED,
                    SERVICE_FAILED,
                    INVALID_RESPONSE -> UNAVAILABLE;
            case DATABASE_ERROR -> DATABASE;
            case INTERNAL_ERROR -> INTERNAL;
        };
    }
}
