package vn.truc.server.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;

/**
 * One message-log record: which message passed this server in which direction, between whom,
 * what was exchanged (the body's digest and the signed manifest) and the signature over it.
 *
 * @param id assigned by {@link MessageLog#append}; give 0 when appending
 * @param bodyDigest base64 SHA-256 of the body as it was exchanged
 * @param manifest the signed manifest (JSON), at most 8000 characters; null if none
 * @param signature the signature over the manifest; null if none
 * @param signerCertHash SHA-256 (hex) of the signer's certificate; null if none
 * @param service null for messages that are not service calls
 * @param peerServer the other security server; null if not known
 * @param content whether the message's content was logged too (see {@code ContentLog})
 */
// The array is copied in and out, and equals, hashCode and toString look at its content.
@SuppressWarnings("ArrayRecordComponent")
public record LogRecord(
        long id,
        Instant loggedAt,
        String messageId,
        Direction direction,
        Kind kind,
        ClientId client,
        ServiceId service,
        String bodyDigest,
        String manifest,
        byte[] signature,
        String signerCertHash,
        SecurityServerId peerServer,
        boolean content) {

    /** Whether the message came in from a peer or a local system, or went out. */
    public enum Direction {
        IN,
        OUT
    }

    /** A service call's request or response; a document or status delivered, or a delivery receipt. */
    public enum Kind {
        REQUEST,
        RESPONSE,
        DOCUMENT,
        STATUS,
        RECEIPT
    }

    /** A record of a message whose content was not logged. */
    public LogRecord(
            long id,
            Instant loggedAt,
            String messageId,
            Direction direction,
            Kind kind,
            ClientId client,
            ServiceId service,
            String bodyDigest,
            String manifest,
            byte[] signature,
            String signerCertHash,
            SecurityServerId peerServer) {
        this(
                id,
                loggedAt,
                messageId,
                direction,
                kind,
                client,
                service,
                bodyDigest,
                manifest,
                signature,
                signerCertHash,
                peerServer,
                false);
    }

    public LogRecord {
        // To the microsecond, as the database keeps it, so a record reads back equal.
        loggedAt = Objects.requireNonNull(loggedAt, "loggedAt").truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(bodyDigest, "bodyDigest");
        signature = signature == null ? null : signature.clone();
    }

    /** A copy of the signature bytes, or null. */
    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    /** The same record with the id the log assigned. */
    public LogRecord withId(long newId) {
        return new LogRecord(
                newId,
                loggedAt,
                messageId,
                direction,
                kind,
                client,
                service,
                bodyDigest,
                manifest,
                signature,
                signerCertHash,
                peerServer,
                content);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r
                && id == r.id
                && loggedAt.equals(r.loggedAt)
                && messageId.equals(r.messageId)
                && direction == r.direction
                && kind == r.kind
                && client.equals(r.client)
                && Objects.equals(service, r.service)
                && bodyDigest.equals(r.bodyDigest)
                && Objects.equals(manifest, r.manifest)
                && Arrays.equals(signature, r.signature)
                && Objects.equals(signerCertHash, r.signerCertHash)
                && Objects.equals(peerServer, r.peerServer)
                && content == r.content;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, loggedAt, messageId, direction, kind, client, service, bodyDigest)
                + 31 * Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "LogRecord[id=" + id + ", loggedAt=" + loggedAt + ", messageId=" + messageId + ", direction="
                + direction + ", kind=" + kind + ", client=" + client + ", service=" + service + ", bodyDigest="
                + bodyDigest + ", signature=" + (signature == null ? "null" : signature.length + " bytes")
                + ", signerCertHash=" + signerCertHash + ", peerServer=" + peerServer + ", content=" + content + "]";
    }
}
