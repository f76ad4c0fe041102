package vn.truc.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLException;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.ErrorJson;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;

/**
 * Sends a signed request to the provider's security server over mutual TLS and receives its
 * signed answer, spooled. The TLS context only accepts the server published at the address dialled.
 */
final class Peers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    private final HttpClient http;
    private final Duration timeout;
    private final Path spoolDir;
    private final long maxBodyBytes;

    /** The provider server's answer before its signature is checked. */
    record Answer(int status, String contentType, byte[] manifest, byte[] signature, SpooledBody body) {}

    Peers(HttpClient http, Duration timeout, Path spoolDir, long maxBodyBytes) {
        this.http = http;
        this.timeout = timeout;
        this.spoolDir = spoolDir;
        this.maxBodyBytes = maxBodyBytes;
    }

    Answer send(
            GlobalConf.SecurityServer peer, byte[] manifest, byte[] signature, String contentType, SpooledBody body) {
        URI url = URI.create("https://" + peer.address() + ExchangeHeaders.PATH);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header(ExchangeHeaders.MANIFEST, Base64.getEncoder().encodeToString(manifest))
                .header(ExchangeHeaders.SIGNATURE, Base64.getEncoder().encodeToString(signature));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            request.POST(body.publisher());
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.headers().firstValue(ErrorJson.HEADER).isPresent()) {
                    throw peerError(peer, response.statusCode(), in.readNBytes(MAX_ERROR_BYTES));
                }
                return new Answer(
                        status(response, peer),
                        response.headers().firstValue("Content-Type").orElse(null),
                        decode(response, ExchangeHeaders.MANIFEST, peer),
                        decode(response, ExchangeHeaders.SIGNATURE, peer),
                        spool(in));
            }
        } catch (HttpTimeoutException e) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.TIMEOUT,
                    "security server " + peer.id() + " at " + peer.address() + " did not answer within " + timeout);
        } catch (SSLException e) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.NETWORK_ERROR,
                    "TLS with security server " + peer.id() + " at " + peer.address() + " failed: " + e.getMessage());
        } catch (ConnectException e) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.NETWORK_ERROR,
                    "security server " + peer.id() + " at " + peer.address() + " is unreachable");
        } catch (IOException e) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.NETWORK_ERROR,
                    "exchange with security server " + peer.id() + " at " + peer.address() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrucException(Origin.CLIENT_PROXY, ErrorCode.NETWORK_ERROR, "interrupted calling " + peer.id());
        }
    }

    /** The service's HTTP status as the provider's server reports it: a final status, 200-599. */
    private static int status(HttpResponse<?> response, GlobalConf.SecurityServer peer) {
        String value = response.headers().firstValue(ExchangeHeaders.STATUS).orElse("");
        try {
            int status = Integer.parseInt(value);
            if (status >= 200 && status <= 599) {
                return status;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new TrucException(
                Origin.CLIENT_PROXY,
                ErrorCode.INVALID_RESPONSE,
                peer.id() + " answered with service status '" + value + "' (expected: 200-599)");
    }

    private SpooledBody spool(InputStream in) throws IOException {
        try (Spool spool = Spool.create(spoolDir, maxBodyBytes, Origin.CLIENT_PROXY)) {
            spool.copyFrom(in);
            return spool.finish();
        }
    }

    /** A base64 header of the peer's answer, decoded; refused as {@code invalid_response} when absent or malformed. */
    static byte[] decode(HttpResponse<?> response, String header, GlobalConf.SecurityServer peer) {
        String value = response.headers()
                .firstValue(header)
                .orElseThrow(() -> new TrucException(
                        Origin.CLIENT_PROXY, ErrorCode.INVALID_RESPONSE, peer.id() + " answered without " + header));
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new TrucException(
                    Origin.CLIENT_PROXY, ErrorCode.INVALID_RESPONSE, peer.id() + " sent a malformed " + header);
        }
    }

    /** The provider server's own error, kept with its code; its fault id names the peer's log line. */
    static TrucException peerError(GlobalConf.SecurityServer peer, int status, byte[] body) {
        try {
            JsonNode json = JSON.readTree(body);
            String type = json.path("type").asText("");
            ErrorCode code = ErrorCode.INTERNAL_ERROR;
            for (ErrorCode candidate : ErrorCode.values()) {
                if (type.endsWith("." + candidate.code())) {
                    code = candidate;
                }
            }
            return new TrucException(
                    Origin.SERVER_PROXY,
                    code,
                    json.path("message").asText("?") + " (security server " + peer.id() + ", fault "
                            + json.path("detail").asText("?") + ")");
        } catch (IOException e) {
            return new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.INVALID_RESPONSE,
                    peer.id() + " answered " + status + " with an unreadable error");
        }
    }
}
