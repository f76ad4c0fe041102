package vn.truc.server.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** Calls a provider's local service and spools its answer. */
final class Backend {
    /** Headers a caller may pass through to the service; the rest are the gateway's business. */
    private static final Set<String> FORWARDED = Set.of(
            "content-type",
            "accept",
            "accept-language",
            "x-road-client",
            "x-road-id",
            "x-road-userid",
            "x-road-issue",
            "x-road-service",
            "soapaction");

    private final HttpClient http;
    private final Duration timeout;
    private final Path spoolDir;
    private final long maxBodyBytes;

    /** The service's answer: its status, content type and body on disk. */
    record Answer(int status, String contentType, SpooledBody body) {}

    Backend(HttpClient http, Duration timeout, Path spoolDir, long maxBodyBytes) {
        this.http = http;
        this.timeout = timeout;
        this.spoolDir = spoolDir;
        this.maxBodyBytes = maxBodyBytes;
    }

    Answer call(String method, URI url, java.util.Map<String, String> headers, SpooledBody body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout);
        headers.forEach((name, value) -> {
            if (value != null && FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                request.header(name, value);
            }
        });
        HttpRequest.BodyPublisher publisher = body.size() == 0 ? HttpRequest.BodyPublishers.noBody() : body.publisher();
        request.method(method, publisher);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body();
                    Spool spool = Spool.create(spoolDir, maxBodyBytes, Origin.SERVER_PROXY)) {
                spool.copyFrom(in);
                return new Answer(
                        response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(null),
                        spool.finish());
            }
        } catch (HttpTimeoutException e) {
            throw new TrucException(
                    Origin.SERVER_PROXY, ErrorCode.TIMEOUT, "service at " + url + " did not answer within " + timeout);
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER_PROXY, ErrorCode.SERVICE_FAILED, "service at " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrucException(Origin.SERVER_PROXY, ErrorCode.SERVICE_FAILED, "interrupted calling " + url);
        }
    }
}
