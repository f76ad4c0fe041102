package vn.truc.server.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/** Writes a {@link ProxyResponse}: small bodies at once, spooled bodies streamed in chunks. */
final class ResponseWriter {
    private static final int CHUNK = 64 * 1024;

    private ResponseWriter() {}

    static ChannelFuture write(ChannelHandlerContext ctx, ProxyResponse response, boolean keepAlive) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
        ChannelFuture done;
        if (response.file() == null) {
            var full =
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(response.bytes()));
            headers(full, response, keepAlive);
            done = ctx.writeAndFlush(full);
        } else {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
            headers(head, response, keepAlive);
            ctx.write(head);
            try {
                FileChannel channel = FileChannel.open(response.file().file(), StandardOpenOption.READ);
                done = ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(channel, CHUNK)));
            } catch (IOException e) {
                ctx.close();
                response.file().close();
                return ctx.newFailedFuture(e);
            }
            done.addListener(f -> response.file().close());
        }
        done.addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        return done;
    }

    private static void headers(HttpResponse out, ProxyResponse response, boolean keepAlive) {
        response.headers().forEach((name, value) -> out.headers().set(name, value));
        out.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.contentLength());
        HttpUtil.setKeepAlive(out, keepAlive);
    }
}
