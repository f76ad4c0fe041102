package vn.truc.server.trust;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.SecurityServerId;

/**
 * Trust for peer TLS: a client is accepted if it is any registered security server; a server only
 * if it is the one published at the address that was dialled. Every refusal is logged once, with
 * the reason, and becomes the {@link CertificateException} that fails the handshake.
 *
 * <p>Being an {@link X509ExtendedTrustManager}, this class is the whole check: JSSE does no
 * endpoint identification of its own for such trust managers, so host names in certificates play
 * no part, whatever endpoint identification algorithm the engine's parameters name.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {
    private static final Logger log = LoggerFactory.getLogger(PeerTrustManager.class);
    private static final X509Certificate[] NO_ISSUERS = {};

    private final PeerVerifier verifier;

    PeerTrustManager(PeerVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        accept(chain, null, 0);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        accept(chain, null, 0);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        accept(chain, null, 0);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw refusal(chain, "cannot tell which address was dialled");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
        if (session == null) {
            throw refusal(chain, "cannot tell which address was dialled");
        }
        accept(chain, session.getPeerHost(), session.getPeerPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        accept(chain, engine.getPeerHost(), engine.getPeerPort());
    }

    /**
     * None named: a client then presents its one auth key whoever issued it, and the decision is
     * made on the registered hash, with a reason in the log, rather than by a silent key choice.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS.clone();
    }

    /** As a server ({@code dialledHost} null) accepts any registered peer, as a client only the one dialled. */
    private void accept(X509Certificate[] chain, String dialledHost, int dialledPort) throws CertificateException {
        try {
            Optional<SecurityServerId> expected =
                    dialledHost == null ? Optional.empty() : Optional.of(verifier.serverAt(dialledHost, dialledPort));
            SecurityServerId peer = verifier.verify(chain, expected);
            log.debug("accepted peer {} as {}", subject(chain), peer);
        } catch (TrucException e) {
            log.warn("refused peer {}: {}", subject(chain), e.describe());
            throw new CertificateException(e.getMessage(), e);
        }
    }

    private static CertificateException refusal(X509Certificate[] chain, String reason) {
        log.warn("refused peer {}: {}", subject(chain), reason);
        return new CertificateException(reason);
    }

    private static String subject(X509Certificate[] chain) {
        return chain == null || chain.length == 0 ? "(no certificate)" : CertificateNames.subject(chain[0]);
    }
}
