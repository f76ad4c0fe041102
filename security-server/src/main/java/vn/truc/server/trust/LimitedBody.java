package vn.truc.server.trust;

import java.io.IOException;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** A response body read into memory, refused (and the exchange cancelled) once it passes a limit. */
final class LimitedBody implements BodySubscriber<byte[]> {
    private final BodySubscriber<byte[]> bytes = BodySubscribers.ofByteArray();
    private final long limit;
    private long received;
    private boolean failed;
    private Flow.Subscription subscription;

    private LimitedBody(long limit) {
        this.limit = limit;
    }

    static BodyHandler<byte[]> handler(long limit) {
        return info -> new LimitedBody(limit);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return bytes.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        bytes.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (failed) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            received += buffer.remaining();
        }
        if (received > limit) {
            failed = true;
            subscription.cancel();
            bytes.onError(new IOException("response body larger than " + limit + " bytes"));
            return;
        }
        bytes.onNext(buffers);
    }

    @Override
    public void onError(Throwable error) {
        if (!failed) {
            bytes.onError(error);
        }
    }

    @Override
    public void onComplete() {
        if (!failed) {
            bytes.onComplete();
        }
    }
}
