package vn.truc.server.trust;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * TLS 1.3 contexts for mutual TLS between security servers, each side presenting its auth key and
 * judging the other with a {@link PeerVerifier}.
 *
 * <p>Host names play no part: a peer is identified by its registered certificate hash, and a client
 * accepts only the server that global configuration publishes at the address it dialled. The trust
 * manager decides alone, so {@code java.net.http.HttpClient} needs no system property to turn its
 * host-name check off (see {@link PeerTrustManager}).
 *
 * <p>The trust check may ask an OCSP responder (up to {@link OcspClient#TIMEOUT}); a Netty listener
 * should give {@link SslContext#newHandler(io.netty.buffer.ByteBufAllocator, java.util.concurrent.Executor)}
 * an executor for blocking work so that this never runs on an event loop.
 */
public final class TlsContexts {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TlsContexts() {}

    /**
     * The server proxy's context: TLSv1.3, client certificate required, JDK provider, every
     * connection a full handshake.
     */
    public static SslContext server(KeyAndChain auth, PeerVerifier verifier) {
        return new JdkSslContext(
                build(auth, verifier, "server"),
                false,
                null,
                IdentityCipherSuiteFilter.INSTANCE,
                ApplicationProtocolConfig.DISABLED,
                ClientAuth.REQUIRE,
                new String[] {FullHandshakeContext.TLS_13},
                false);
    }

    /**
     * The client proxy's context, for {@code HttpClient.newBuilder().sslContext(...)}: TLSv1.3 only,
     * presenting {@code auth}, accepting only the server published at the dialled host and port,
     * every connection a full handshake. Creates engines only (no socket factories).
     */
    public static SSLContext client(KeyAndChain auth, PeerVerifier verifier) {
        return build(auth, verifier, "client");
    }

    private static SSLContext build(KeyAndChain auth, PeerVerifier verifier, String side) {
        try {
            return FullHandshakeContext.create(keyManagers(auth), new PeerTrustManager(verifier));
        } catch (GeneralSecurityException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot build the TLS " + side + " context: " + e, e);
        }
    }

    /** The key managers of an in-memory PKCS#12 store holding the auth key alone. */
    private static KeyManager[] keyManagers(KeyAndChain auth) throws GeneralSecurityException {
        byte[] secret = new byte[18];
        RANDOM.nextBytes(secret);
        char[] password = Base64.getEncoder().encodeToString(secret).toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        store.setKeyEntry("auth", auth.privateKey(), password, auth.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }
}
