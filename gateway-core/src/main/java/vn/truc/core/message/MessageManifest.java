package vn.truc.core.message;

import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;
import vn.truc.core.crypto.Digests;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;

/**
 * What a message signature covers: who sends what to which service, and the SHA-256 digest of the
 * body, which streams separately and may be gigabytes long. A response names its request by
 * {@link #requestHash()}, the hash of the request's manifest, so a response cannot be moved to
 * another request.
 *
 * <p>The signed bytes are {@link #toBytes()}: compact UTF-8 JSON, a {@code "version":1} key first,
 * then the fields in the order of this record's components, absent fields omitted, the client and
 * service as identifier strings, the kind in lower case and {@code createdAt} as ISO-8601. {@link
 * #fromBytes(byte[])} accepts only that exact form, so one manifest has one byte string.
 */
public record MessageManifest(
        Kind kind,
        String messageId,
        ClientId client,
        ServiceId service,
        String userId,
        String issue,
        String protocol,
        String method,
        String path,
        String contentType,
        String bodyDigest,
        String requestHash,
        Instant createdAt) {

    /** HTTP method token characters (RFC 9110). */
    private static final Pattern METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}");

    /** Whether the message is a service request or the response to one. */
    public enum Kind {
        REQUEST,
        RESPONSE
    }

    public MessageManifest {
        require("kind", kind);
        text("messageId", messageId);
        require("client", client);
        require("service", service);
        optionalText("userId", userId);
        optionalText("issue", issue);
        if (!"rest".equals(protocol) && !"soap".equals(protocol)) {
            throw invalid("protocol", protocol, "rest or soap");
        }
        if (method != null ? !METHOD.matcher(method).matches() : "rest".equals(protocol)) {
            throw invalid("method", method, "an HTTP method such as GET or POST; required for rest");
        }
        optionalText("path", path);
        optionalText("contentType", contentType);
        sha256("bodyDigest", bodyDigest);
        if (kind == Kind.RESPONSE) {
            sha256("requestHash", requestHash);
        } else if (requestHash != null) {
            throw invalid("requestHash", requestHash, "absent in a request");
        }
        require("createdAt", createdAt);
    }

    /** The canonical bytes that are signed; stable across JVMs and releases of format version 1. */
    public byte[] toBytes() {
        return ManifestJson.write(this);
    }

    /**
     * Parses bytes made by {@link #toBytes()}. Anything else (unknown or missing fields, other key
     * order, whitespace, another encoding) is {@link ErrorCode#INVALID_REQUEST}.
     */
    public static MessageManifest fromBytes(byte[] bytes) {
        return ManifestJson.read(bytes);
    }

    /** Base64 SHA-256 of {@link #toBytes()}: what a response's {@link #requestHash()} holds. */
    public String hash() {
        return Base64.getEncoder().encodeToString(Digests.sha256(toBytes()));
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw invalid(field, null, "present");
        }
    }

    private static void text(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw invalid(field, value, "a non-empty string");
        }
    }

    private static void optionalText(String field, String value) {
        if (value != null && value.isEmpty()) {
            throw invalid(field, value, "absent (null) or a non-empty string");
        }
    }

    private static void sha256(String field, String value) {
        if (!Digests.isSha256Base64(value)) {
            throw invalid(field, value, "base64 of a SHA-256 digest, 44 characters");
        }
    }

    static TrucException invalid(String field, String value, String expected) {
        return invalid(field + ": '" + value + "' (expected: " + expected + ")");
    }

    static TrucException invalid(String message) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, "message manifest: " + message);
    }
}
