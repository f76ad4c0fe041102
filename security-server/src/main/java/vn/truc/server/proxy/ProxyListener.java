package vn.truc.server.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * One listener of the security server. The pipeline reads top to bottom: TLS (server proxy, peers
 * authenticated at the handshake; the client proxy's HTTPS listener), idle timeout, HTTP codec with header limits, 100-continue,
 * chunked writing for streamed answers, then the spooling handler that feeds the proxy's logic.
 */
final class ProxyListener implements AutoCloseable {
    private static final int MAX_INITIAL_LINE = 16 * 1024;
    private static final int MAX_CHUNK = 64 * 1024;

    private final Channel channel;

    /** Where and how to listen, and what to do with what arrives. */
    record Spec(
            String host,
            int port,
            SslContext tls,
            int maxHeaderBytes,
            long maxBodyBytes,
            Duration idleTimeout,
            Path spoolDir,
            Origin origin,
            ProxyHandler handler) {}

    ProxyListener(Spec spec, EventLoopGroup boss, EventLoopGroup workers, Executor blocking, Executor tlsTasks) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (spec.tls() != null) {
                            // Certificate checks may ask an OCSP responder: run them off the event loop.
                            p.addLast(spec.tls().newHandler(ch.alloc(), tlsTasks));
                        }
                        p.addLast(new IdleStateHandler(spec.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(new HttpServerCodec(MAX_INITIAL_LINE, spec.maxHeaderBytes(), MAX_CHUNK))
                                .addLast(new HttpServerExpectContinueHandler())
                                .addLast(new ChunkedWriteHandler())
                                .addLast(new SpoolingHandler(
                                        spec.handler(), blocking, spec.spoolDir(), spec.maxBodyBytes(), spec.origin()));
                    }
                });
        try {
            // a restarted server takes its port back at once, even with connections of the last run in TIME_WAIT
            bootstrap.option(io.netty.channel.ChannelOption.SO_REUSEADDR, true);
            this.channel = bootstrap.bind(spec.host(), spec.port()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + spec.host() + ":" + spec.port(), e);
        } catch (Exception e) { // Netty rethrows the BindException undeclared
            if (e instanceof java.net.BindException) {
                throw new TrucException(
                        Origin.SERVER,
                        ErrorCode.INVALID_CONFIG,
                        "cannot listen on " + spec.host() + ":" + spec.port() + ": " + e.getMessage()
                                + " (is another server running, or another program using the port?)",
                        e);
            }
            throw e;
        }
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
