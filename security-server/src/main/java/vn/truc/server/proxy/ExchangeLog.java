package vn.truc.server.proxy;

import vn.truc.core.id.SecurityServerId;
import vn.truc.core.message.MessageManifest;

/**
 * Where every request and response goes before it is passed on. A message that cannot be logged
 * is refused: implementations throw, and the exchange fails with that error.
 */
@FunctionalInterface
interface ExchangeLog {
    /**
     * Logs one message; {@code incoming} is true for what this server received. {@code body} is
     * its content, read only when its subsystem logs content.
     */
    void log(
            boolean incoming,
            MessageManifest manifest,
            byte[] manifestBytes,
            byte[] signature,
            java.security.cert.X509Certificate signer,
            SecurityServerId peer,
            SpooledBody body);
}
