package vn.truc.server.proxy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import vn.truc.core.audit.LoggedContent;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.server.audit.ContentLog;
import vn.truc.server.store.LogRecord;
import vn.truc.server.store.MessageLog;

/**
 * Logs documents, statuses and receipts as they pass, before anyone is answered: the signed bytes
 * (document manifest or receipt), the signature, the signer and the digest of what travelled, and
 * the package itself when this server's subsystem logs content. Nothing is logged, and so nothing
 * passes, while {@code gate} refuses (timestamping has failed for longer than its grace period).
 */
record DocumentLog(MessageLog log, ContentLog contents, Clock clock, Runnable gate) {
    /**
     * A package's plaintext, which {@code subsystem} (this server's) may log.
     *
     * @param sha256Base64 its digest, as the signed manifest names it
     */
    record Content(ClientId subsystem, String sha256Base64, Path file) {}

    /** Logs a receipt, whose content is the signed bytes themselves. */
    void append(
            boolean incoming,
            LogRecord.Kind kind,
            String messageId,
            ClientId client,
            String bodyDigest,
            byte[] signed,
            byte[] signature,
            X509Certificate signer,
            SecurityServerId peer) {
        append(incoming, kind, messageId, client, bodyDigest, signed, signature, signer, peer, null);
    }

    /** Logs a document or status; {@code content} is its package. */
    void append(
            boolean incoming,
            LogRecord.Kind kind,
            String messageId,
            ClientId client,
            String bodyDigest,
            byte[] signed,
            byte[] signature,
            X509Certificate signer,
            SecurityServerId peer,
            Content content) {
        gate.run();
        boolean logged = content != null && contents.wanted(content.subsystem());
        if (logged) {
            contents.keep(LoggedContent.hex(content.sha256Base64()), () -> Files.newInputStream(content.file()));
        }
        log.append(new LogRecord(
                0,
                clock.instant(),
                messageId,
                incoming ? LogRecord.Direction.IN : LogRecord.Direction.OUT,
                kind,
                client,
                null,
                bodyDigest,
                new String(signed, StandardCharsets.UTF_8),
                signature,
                Certificates.sha256Hex(signer),
                peer,
                logged));
    }
}
