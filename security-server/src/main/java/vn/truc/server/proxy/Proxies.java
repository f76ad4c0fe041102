package vn.truc.server.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.edxml.Edxml;
import vn.truc.core.error.Origin;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.server.ServerConfig;
import vn.truc.server.audit.ContentLog;
import vn.truc.server.documents.DocumentFiles;
import vn.truc.server.documents.PackageReader;
import vn.truc.server.store.ServerStore;
import vn.truc.server.trust.OcspClient;
import vn.truc.server.trust.PeerVerifier;
import vn.truc.server.trust.TlsContexts;

/**
 * The security server's listeners: the client proxy for the agency's own systems (plain HTTP,
 * loopback or internal network, and optionally HTTPS with client certificates, see {@link
 * ClientAuthentication}) and the server proxy for peers (mutual TLS 1.3 with the servers'
 * auth keys). They share the event loops and a pool of workers for the blocking steps (signing,
 * database, backend calls).
 */
public final class Proxies implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Proxies.class);

    private static final int WORKERS = 32;
    /** Requests waiting for a worker beyond this are refused at once rather than queued without end. */
    private static final int QUEUE = 512;

    static {
        // The JDK client keeps idle connections for 20 minutes by default, far longer than a peer
        // keeps them (timeouts.idle): a request on a connection the peer just closed would fail.
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "20");
        }
    }

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    private final ExecutorService workers = new ThreadPoolExecutor(
            WORKERS, WORKERS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), daemon("proxy-worker"));
    /**
     * The outgoing HTTP clients' own threads (they complete responses and push request bodies).
     * Never the workers: a worker blocks in {@code send} until its answer is complete, so with every
     * worker waiting there would be none left to complete an answer, and all would wait until
     * their timeouts (what {@code truc bench} found at 64 concurrent clients).
     */
    private final ExecutorService httpClientTasks = Executors.newCachedThreadPool(daemon("http-client"));
    /** TLS handshake steps (certificate checks may ask an OCSP responder), apart from request work. */
    private final ExecutorService tlsTasks = Executors.newFixedThreadPool(4, daemon("tls-task"));

    private final ProxyListener clientProxy;
    private final ProxyListener clientProxyHttps;
    private final ProxyListener serverProxy;
    private final DocumentDelivery delivery;
    private final Trust trust;

    /** What the proxies need from the running server. */
    public record Parts(
            ServerConfig config,
            KeyAndChain authKey,
            KeyAndChain signKey,
            Supplier<GlobalConf> conf,
            ServerStore store,
            OcspClient ocsp,
            Clock clock,
            Supplier<String> health,
            KeyAndChain internalTls,
            KeyAndChain encryptKey,
            Runnable auditGate) {}

    public Proxies(Parts parts) {
        ServerConfig config = parts.config();
        PeerVerifier verifier = new PeerVerifier(parts.conf(), parts.ocsp());
        this.trust =
                new Trust(parts.signKey(), parts.ocsp(), parts.clock(), config.ocspMaxAge(), config.signingBatchMax());
        ContentLog contents = ContentLog.of(config.audit(), parts.store().clients()::logsContent);
        ExchangeLog log = StoreAdapters.log(parts.store(), contents, parts.clock(), parts.auditGate());
        var limits = config.limits();
        var timeouts = config.timeouts();
        HttpClient peerHttp = HttpClient.newBuilder()
                .sslContext(TlsContexts.client(parts.authKey(), verifier))
                .connectTimeout(timeouts.connect())
                .executor(httpClientTasks)
                .build();
        HttpClient backendHttp = HttpClient.newBuilder()
                .connectTimeout(timeouts.connect())
                .executor(httpClientTasks)
                .build();
        Peers peers = new Peers(peerHttp, timeouts.peer(), config.files().spoolDir(), limits.maxBodyBytes());
        Backend backend =
                new Backend(backendHttp, timeouts.backend(), config.files().spoolDir(), limits.maxBodyBytes());
        DocumentFiles documentFiles = new DocumentFiles(config.files().documentsDir());
        PackageReader packages = new PackageReader(
                new Edxml.Limits(config.documents().maxEdxmlBytes(), limits.maxParts(), 1000),
                config.files().documentsDir().resolve("work"));
        DocumentLog documentLog =
                new DocumentLog(parts.store().messageLog(), contents, parts.clock(), parts.auditGate());
        this.delivery = new DocumentDelivery(
                parts.conf(),
                trust,
                peerHttp,
                timeouts.peer(),
                parts.store().documents(),
                documentFiles,
                config.documents(),
                documentLog,
                parts.clock());
        DocumentReceiver receiver = parts.encryptKey() == null
                ? null
                : new DocumentReceiver(
                        config.serverId(),
                        trust,
                        parts.encryptKey(),
                        parts.store().documents(),
                        documentFiles,
                        packages,
                        documentLog,
                        parts.clock(),
                        new Webhook(config.documents().webhook(), backendHttp));
        DocumentApi documentApi = new DocumentApi(
                config.serverId(),
                parts.conf(),
                parts.store().documents(),
                documentFiles,
                packages,
                new ClientAuthentication(parts.store().clients()),
                parts.clock(),
                delivery::wake,
                parts.auditGate(),
                parts.store().messageLog());
        try {
            documentFiles.clearWork();
            documentFiles.sweep(parts.store().documents().storedPaths());
        } catch (java.io.IOException e) {
            throw new vn.truc.core.error.TrucException(
                    Origin.SERVER,
                    vn.truc.core.error.ErrorCode.INTERNAL_ERROR,
                    "cannot clear document work files: " + e);
        }
        try {
            this.serverProxy = new ProxyListener(
                    new ProxyListener.Spec(
                            config.serverProxyHost(),
                            config.serverProxyPort(),
                            TlsContexts.server(parts.authKey(), verifier),
                            limits.maxHeaderBytes(),
                            limits.maxBodyBytes(),
                            timeouts.idle(),
                            config.files().spoolDir(),
                            Origin.SERVER_PROXY,
                            new ServerProxyHandler(
                                    config.serverId(),
                                    parts.conf(),
                                    verifier,
                                    trust,
                                    StoreAdapters.services(parts.store()),
                                    backend,
                                    log,
                                    parts.clock(),
                                    new SoapCheck(limits.maxSoapEnvelopeBytes(), limits.maxParts()),
                                    receiver)),
                    boss,
                    loops,
                    workers,
                    tlsTasks);
            ClientProxyHandler clientHandler = new ClientProxyHandler(
                    config.serverId(),
                    parts.conf(),
                    trust,
                    peers,
                    log,
                    parts.clock(),
                    limits.maxSoapEnvelopeBytes(),
                    limits.maxParts(),
                    parts.health(),
                    new ClientAuthentication(parts.store().clients()),
                    documentApi);
            this.clientProxy = new ProxyListener(
                    clientProxySpec(config, config.clientProxyPort(), null, clientHandler),
                    boss,
                    loops,
                    workers,
                    tlsTasks);
            this.clientProxyHttps = config.clientProxyHttps()
                    ? new ProxyListener(
                            clientProxySpec(
                                    config,
                                    config.clientProxyHttpsPort(),
                                    TlsContexts.clientProxyServer(parts.internalTls()),
                                    clientHandler),
                            boss,
                            loops,
                            workers,
                            tlsTasks)
                    : null;
            delivery.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The client proxy's two listeners differ only in port and TLS; the handler is the same. */
    private static ProxyListener.Spec clientProxySpec(
            ServerConfig config, int port, SslContext tls, ClientProxyHandler handler) {
        return new ProxyListener.Spec(
                config.clientProxyHost(),
                port,
                tls,
                config.limits().maxHeaderBytes(),
                config.limits().maxBodyBytes(),
                config.timeouts().idle(),
                config.files().spoolDir(),
                Origin.CLIENT,
                handler);
    }

    public int clientProxyPort() {
        return clientProxy.port();
    }

    /** The HTTPS listener's port, or 0 when {@code client-proxy.https-port} leaves it off. */
    public int clientProxyHttpsPort() {
        return clientProxyHttps == null ? 0 : clientProxyHttps.port();
    }

    public int serverProxyPort() {
        return serverProxy.port();
    }

    @Override
    public void close() {
        if (delivery != null) {
            delivery.close();
        }
        if (clientProxy != null) {
            clientProxy.close();
        }
        if (clientProxyHttps != null) {
            clientProxyHttps.close();
        }
        if (serverProxy != null) {
            serverProxy.close();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownNow();
        httpClientTasks.shutdownNow();
        tlsTasks.shutdownNow();
        if (trust != null) {
            Trust.SigningCounts counts = trust.signingCounts();
            LOG.info(
                    "signed {} messages with {} signatures (batched under load, up to signing.batch-max)",
                    counts.messages(),
                    counts.signatures());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
