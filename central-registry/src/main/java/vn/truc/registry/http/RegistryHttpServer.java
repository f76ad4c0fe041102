package vn.truc.registry.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * The registry's HTTP listener. The pipeline reads top to bottom: HTTP codec with header limits,
 * keep-alive, read timeout, body aggregation with a size limit, then the API. The API touches the
 * database, so the handler runs it on a small thread pool, never on the event loop.
 */
public final class RegistryHttpServer implements AutoCloseable {
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_BYTES = 8192;
    private static final int READ_TIMEOUT_SECONDS = 30;

    // named, like the API threads, so that a thread dump (or a test) tells the registry's threads apart
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("registry-http-boss"), NioIoHandler.newFactory());
    private final EventLoopGroup workers =
            new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("registry-http"), NioIoHandler.newFactory());
    private final ExecutorService blocking = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "registry-api");
        t.setDaemon(true);
        return t;
    });
    private final Channel channel;

    public RegistryHttpServer(String host, int port, int maxRequestBytes, RegistryApi api) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192))
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                                .addLast(new HttpObjectAggregator(maxRequestBytes))
                                .addLast(new RegistryHttpHandler(api, blocking));
                    }
                });
        try {
            // a restarted server takes its port back at once, even with connections of the last run in TIME_WAIT
            bootstrap.option(io.netty.channel.ChannelOption.SO_REUSEADDR, true);
            this.channel = bootstrap.bind(host, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
        } catch (Exception e) { // Netty rethrows the BindException undeclared
            close();
            if (e instanceof java.net.BindException) {
                throw new TrucException(
                        Origin.REGISTRY,
                        ErrorCode.INVALID_CONFIG,
                        "cannot listen on " + host + ":" + port + ": " + e.getMessage()
                                + " (is another registry running, or another program using the port?)",
                        e);
            }
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdownNow();
    }
}
