package vn.truc.server.trust;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * TLS 1.3 contexts for mutual TLS between security servers, each side presenting its auth key and
 * judging the other with a {@link PeerVerifier}; and the client proxy's HTTPS context towards the
 * agency's own information systems ({@link #clientProxyServer}).
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
     * The client proxy's HTTPS context, towards the agency's own information systems: TLSv1.2 and
     * TLSv1.3, presenting the server's internal TLS key, asking for a client certificate without
     * requiring one. Any client certificate passes the handshake: whether a call needs one, and
     * which, depends on the subsystem it claims to come from, known only once its headers are read.
     */
    public static SslContext clientProxyServer(KeyAndChain internalTls) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(internalTls), new TrustManager[] {new AnyClientCertificate()}, RANDOM);
            return new JdkSslContext(
                    context,
                    false,
                    null,
                    IdentityCipherSuiteFilter.INSTANCE,
                    ApplicationProtocolConfig.DISABLED,
                    ClientAuth.OPTIONAL,
                    new String[] {"TLSv1.3", "TLSv1.2"},
                    false);
        } catch (GeneralSecurityException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot build the client proxy's TLS context: " + e, e);
        }
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

    /** Lets every client certificate through the handshake; the client proxy judges it per call. */
    private static final class AnyClientCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("the client proxy does not connect out");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("the client proxy does not connect out");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the client proxy does not connect out");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
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
