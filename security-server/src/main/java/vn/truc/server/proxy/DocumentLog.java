package vn.truc.server.proxy;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.server.store.LogRecord;
import vn.truc.server.store.MessageLog;

/**
 * Logs documents, statuses and receipts as they pass, before anyone is answered: the signed bytes
 * (document manifest or receipt), the signature, the signer and the digest of what travelled.
 * Nothing is logged, and so nothing passes, while {@code gate} refuses (timestamping has failed for
 * longer than its grace period).
 */
record DocumentLog(MessageLog log, Clock clock, Runnable gate) {
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
        gate.run();
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
                peer));
    }
}
