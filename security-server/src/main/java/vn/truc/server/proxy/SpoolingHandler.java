package vn.truc.server.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * Receives one request at a time: writes its body to a spool file as it arrives (never holding it
 * in memory, refusing it past the size limit), then hands the whole request to the proxy's logic
 * on a worker thread and writes the answer. Reading stops while a request is handled; a client
 * that sends the next request before its answer (pipelining) is disconnected, so answers never
 * overtake each other and a client cannot pile up work.
 */
final class SpoolingHandler extends SimpleChannelInboundHandler<HttpObject> {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolingHandler.class);

    private final ProxyHandler handler;
    private final Executor workers;
    private final Path spoolDir;
    private final long maxBodyBytes;
    private final Origin origin;
    private HttpRequest head;
    private Spool spool;
    private boolean discarding;
    /** True while the proxy's logic works on a request: a slow backend is not an idle client. */
    private volatile boolean busy;

    SpoolingHandler(ProxyHandler handler, Executor workers, Path spoolDir, long maxBodyBytes, Origin origin) {
        this.handler = handler;
        this.workers = workers;
        this.spoolDir = spoolDir;
        this.maxBodyBytes = maxBodyBytes;
        this.origin = origin;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (busy) {
            // A client that pipelines would get answers out of order: refuse it plainly.
            LOG.info(
                    "connection from {} sent a request before the previous answer; closed",
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        if (msg instanceof HttpRequest request) {
            start(ctx, request);
        }
        if (discarding) {
            return;
        }
        if (msg.decoderResult().isFailure()) {
            refuse(ctx, malformed(msg));
            return;
        }
        if (msg instanceof HttpContent content) {
            try {
                spool.write(content.content());
            } catch (TrucException e) {
                refuse(ctx, e);
                return;
            }
            if (msg instanceof LastHttpContent) {
                dispatch(ctx);
            }
        }
    }

    private void start(ChannelHandlerContext ctx, HttpRequest request) {
        discarding = false;
        head = request;
        if (request.decoderResult().isFailure()) {
            return; // refused by the caller
        }
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > maxBodyBytes) {
            refuse(
                    ctx,
                    new TrucException(
                            origin,
                            ErrorCode.BODY_TOO_LARGE,
                            "body of " + declared + " bytes is larger than the limit of " + maxBodyBytes));
            return;
        }
        closeSpool();
        try {
            spool = Spool.create(spoolDir, maxBodyBytes, origin);
        } catch (TrucException e) {
            refuse(ctx, e);
        }
    }

    private void dispatch(ChannelHandlerContext ctx) {
        SpooledBody body;
        try {
            body = spool.finish();
        } catch (TrucException e) {
            refuse(ctx, e);
            return;
        } finally {
            spool = null;
        }
        boolean overTls = ctx.pipeline().get(SslHandler.class) != null;
        ProxyRequest request =
                new ProxyRequest(head.method().name(), head.uri(), head.headers(), body, overTls, peerChain(ctx));
        boolean keepAlive = HttpUtil.isKeepAlive(head);
        ctx.channel().config().setAutoRead(false);
        busy = true;
        try {
            workers.execute(() -> respond(ctx, request, keepAlive));
        } catch (RejectedExecutionException e) {
            body.close();
            busy = false;
            ResponseWriter.write(
                            ctx,
                            handler.refuse(
                                    new TrucException(
                                            Origin.SERVER,
                                            ErrorCode.SERVICE_DISABLED,
                                            "server busy: too many requests in progress; try again shortly"),
                                    head),
                            false)
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Runs on a worker: whatever happens, the client gets an answer or the connection is closed. */
    private void respond(ChannelHandlerContext ctx, ProxyRequest request, boolean keepAlive) {
        try {
            ProxyResponse response;
            try {
                response = handler.handle(request);
            } catch (RuntimeException e) {
                response = Errors.json(Errors.wrap(e, Origin.SERVER));
            } finally {
                request.body().close();
            }
            ResponseWriter.write(ctx, response, keepAlive).addListener(f -> {
                busy = false;
                if (f.isSuccess() && keepAlive) {
                    ctx.channel().config().setAutoRead(true);
                } else {
                    ctx.close();
                }
            });
        } catch (Throwable e) {
            LOG.error("answering a request failed; connection closed", e);
            busy = false;
            ctx.close();
        }
    }

    private void refuse(ChannelHandlerContext ctx, TrucException error) {
        discarding = true;
        closeSpool();
        ResponseWriter.write(ctx, handler.refuse(error, head), false).addListener(ChannelFutureListener.CLOSE);
    }

    private static TrucException malformed(HttpObject msg) {
        return new TrucException(
                Origin.CLIENT,
                ErrorCode.INVALID_REQUEST,
                "malformed HTTP request: " + msg.decoderResult().cause().getMessage());
    }

    private void closeSpool() {
        if (spool != null) {
            spool.close();
            spool = null;
        }
    }

    private static List<X509Certificate> peerChain(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        List<X509Certificate> chain = new ArrayList<>();
        if (ssl == null) {
            return chain;
        }
        try {
            for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                chain.add((X509Certificate) c);
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate: the handler refuses
        }
        return chain;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (spool != null) {
            LOG.info(
                    "connection from {} closed mid-request; partial body discarded",
                    ctx.channel().remoteAddress());
            closeSpool();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && !busy) {
            LOG.info(
                    "connection from {} sent nothing for too long{}; closed",
                    ctx.channel().remoteAddress(),
                    spool != null ? " in the middle of a request" : "");
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
