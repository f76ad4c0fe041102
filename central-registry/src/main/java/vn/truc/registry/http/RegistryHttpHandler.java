package vn.truc.registry.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.ErrorJson;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** Hands each request to the API and turns every failure into the JSON error of the vocabulary. */
final class RegistryHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

    private final RegistryApi api;
    private final Executor blocking;

    RegistryHttpHandler(RegistryApi api, Executor blocking) {
        this.api = api;
        this.blocking = blocking;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpRequest retained = request.retain();
        try {
            blocking.execute(() -> {
                try {
                    write(ctx, respond(retained), HttpUtil.isKeepAlive(retained));
                } finally {
                    retained.release();
                }
            });
        } catch (RejectedExecutionException e) {
            retained.release();
            ctx.close();
        }
    }

    private HttpResponse respond(FullHttpRequest request) {
        HttpResponse response;
        if (!request.decoderResult().isSuccess()) {
            response = error(new TrucException(
                    Origin.CLIENT,
                    ErrorCode.INVALID_REQUEST,
                    "malformed HTTP request: " + request.decoderResult().cause()));
        } else {
            try {
                response = api.handle(request.method().name(), request.uri(), ByteBufUtil.getBytes(request.content()));
            } catch (TrucException e) {
                response = error(e);
            } catch (RuntimeException e) {
                TrucException wrapped =
                        new TrucException(Origin.REGISTRY, ErrorCode.INTERNAL_ERROR, "internal error: " + e, e);
                LOG.error("{}", wrapped.describe(), e);
                response = error(wrapped);
            }
        }
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            write(
                    ctx,
                    error(new TrucException(
                            Origin.CLIENT, ErrorCode.BODY_TOO_LARGE, "request too large: " + cause.getMessage())),
                    false);
        } else if (!(cause instanceof ReadTimeoutException)) {
            LOG.warn("registry connection failed: {}", cause.toString());
            ctx.close();
        } else {
            ctx.close();
        }
    }

    private static HttpResponse error(TrucException e) {
        if (e.code() == ErrorCode.INTERNAL_ERROR || e.code() == ErrorCode.DATABASE_ERROR) {
            LOG.error("{}", e.describe());
        } else {
            LOG.info("{}", e.describe());
        }
        return new HttpResponse(
                        HttpResponseStatus.valueOf(e.code().httpStatus()), "application/json", ErrorJson.body(e))
                .withErrorType(ErrorJson.type(e));
    }

    private static void write(ChannelHandlerContext ctx, HttpResponse response, boolean keepAlive) {
        FullHttpResponse out = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, response.status(), Unpooled.wrappedBuffer(response.body()));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        if (response.errorType() != null) {
            out.headers().set(ErrorJson.HEADER, response.errorType());
        }
        HttpUtil.setKeepAlive(out, keepAlive);
        var future = ctx.writeAndFlush(out);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
