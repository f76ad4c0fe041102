package vn.truc.server.trust;

import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose every engine speaks TLS 1.3 only and comes from a context of its own,
 * so that no session is ever resumed and every connection is a full handshake that the trust
 * manager judges.
 *
 * <p>Why: JSSE does not consult the trust manager when it resumes a session (a TLS 1.3 PSK from an
 * earlier connection, client or server side), so a peer accepted once would be accepted again for
 * the session's lifetime (a day by default) after being revoked, unregistered, or replaced at the
 * address dialled. Session timeouts do not reliably prevent that. A context costs far less than
 * the handshake's signatures. Also, {@code SSLContext.getInstance("TLSv1.3")} alone still enables
 * TLS 1.2 and older on the client side; here engines and default parameters (which
 * {@code java.net.http.HttpClient} copies) enable TLSv1.3 alone. Socket factories are refused:
 * peers talk through engines.
 */
final class FullHandshakeContext extends SSLContextSpi {
    static final String TLS_13 = "TLSv1.3";
    private static final String[] PROTOCOLS = {TLS_13};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyManager[] keys;
    private final TrustManager[] trust;
    /** Answers the questions about defaults and session contexts; creates no engine. */
    private final SSLContext template;

    private FullHandshakeContext(KeyManager[] keys, TrustManager trust) throws GeneralSecurityException {
        this.keys = keys.clone();
        this.trust = new TrustManager[] {trust};
        this.template = newContext();
    }

    static SSLContext create(KeyManager[] keys, TrustManager trust) throws GeneralSecurityException {
        FullHandshakeContext spi = new FullHandshakeContext(keys, trust);
        return new SSLContext(spi, spi.template.getProvider(), TLS_13) {};
    }

    @Override
    protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
            throws KeyManagementException {
        throw new KeyManagementException("this peer TLS context is already initialised");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        throw new UnsupportedOperationException("peer TLS contexts create SSLEngines only");
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        throw new UnsupportedOperationException("peer TLS contexts create SSLEngines only");
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        return restrict(freshContext().createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        return restrict(freshContext().createSSLEngine(host, port));
    }

    /** A session context that no engine uses: sessions live and die with their one connection. */
    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return template.getServerSessionContext();
    }

    /** A session context that no engine uses: sessions live and die with their one connection. */
    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return template.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return restrict(template.getDefaultSSLParameters());
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        return restrict(template.getSupportedSSLParameters());
    }

    private SSLContext freshContext() {
        try {
            return newContext();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context: " + e, e);
        }
    }

    private SSLContext newContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance(TLS_13);
        context.init(keys, trust, RANDOM);
        return context;
    }

    private static SSLEngine restrict(SSLEngine engine) {
        engine.setEnabledProtocols(PROTOCOLS.clone());
        return engine;
    }

    private static SSLParameters restrict(SSLParameters parameters) {
        parameters.setProtocols(PROTOCOLS.clone());
        return parameters;
    }
}
