package vn.truc.server.globalconf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * One GET of the registry's published configuration, bounded in time and size. The request
 * timeout bounds the wait for the answer's head; a deadline bounds the whole download, because
 * the JDK client has no read timeout for a body and a registry that trickles bytes must not hold
 * the poller forever. The body is counted as it arrives and refused past the limit, so nothing
 * larger than the limit is ever buffered. Every failure is {@link ErrorCode#CONF_UNAVAILABLE}.
 */
final class RegistryDownload {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private final HttpClient http;
    private final URI url;

    RegistryDownload(HttpClient http, URI url) {
        this.http = http;
        this.url = url;
    }

    URI url() {
        return url;
    }

    /** The body of a 200 answer, at most {@link #MAX_BYTES} long. */
    byte[] fetch() {
        HttpRequest request =
                HttpRequest.newBuilder(url).GET().timeout(REQUEST_TIMEOUT).build();
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, this::subscriber);
        try {
            HttpResponse<byte[]> response = pending.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                throw unavailable("registry answered HTTP " + response.statusCode() + " for " + url, null);
            }
            return response.body();
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw unavailable("no complete answer from " + url + " within " + DEADLINE.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw unavailable("download from " + url + " interrupted", e);
        }
    }

    private BodySubscriber<byte[]> subscriber(ResponseInfo info) {
        if (info.statusCode() != 200) {
            return BodySubscribers.replacing(null);
        }
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new BoundedBody(MAX_BYTES, declared);
    }

    private TrucException failed(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLarge) {
                return unavailable("answer from " + url + " " + t.getMessage(), null);
            }
        }
        return unavailable("cannot download from " + url + ": " + summary(cause), cause);
    }

    private static String summary(Throwable t) {
        String name = t.getClass().getSimpleName();
        String text = t.getMessage() == null ? name : name + ": " + t.getMessage();
        return t.getCause() == null || t.getCause() == t ? text : text + " (" + summary(t.getCause()) + ")";
    }

    private static TrucException unavailable(String message, Throwable cause) {
        return new TrucException(Origin.SERVER, ErrorCode.CONF_UNAVAILABLE, "global configuration: " + message, cause);
    }

    /** Refused: the body is over the limit (declared or counted). */
    private static final class BodyTooLarge extends IOException {
        BodyTooLarge(long limit) {
            super("exceeds the limit of " + limit + " bytes (" + limit / (1024 * 1024) + " MiB)");
        }
    }

    /** Collects the body one buffer list at a time and gives up as soon as it passes the limit. */
    private static final class BoundedBody implements BodySubscriber<byte[]> {
        private final int limit;
        private final long declaredLength;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(int limit, long declaredLength) {
            this.limit = limit;
            this.declaredLength = declaredLength;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declaredLength > limit) {
                refuse();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if ((long) buffer.size() + item.remaining() > limit) {
                    refuse();
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.writeBytes(chunk);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }

        private void refuse() {
            subscription.cancel();
            result.completeExceptionally(new BodyTooLarge(limit));
        }
    }
}
