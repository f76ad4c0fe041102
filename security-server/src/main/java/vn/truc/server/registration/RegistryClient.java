package vn.truc.server.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** The security server's calls to the registry: certificates from the embedded CA, registration. */
public final class RegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final URI registryUrl;
    private final HttpClient http;

    public RegistryClient(URI registryUrl, HttpClient http) {
        this.registryUrl = registryUrl;
        this.http = http;
    }

    /** Asks the embedded CA for a certificate; {@code usage} is "auth", "sign" or "encrypt". Chain leaf first. */
    public List<X509Certificate> requestCertificate(String usage, String holder, String csrPem, String token) {
        ObjectNode body = JSON.createObjectNode()
                .put("usage", usage)
                .put("holder", holder)
                .put("csr", csrPem)
                .put("token", token);
        JsonNode answer = post("certificates", body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<X509Certificate> chain = new ArrayList<>();
        answer.withArray("chain").forEach(pem -> chain.add(Certificates.fromPem(pem.asText())));
        return chain;
    }

    /** Submits a signed registration request; returns the registry's answer (id and state). */
    public RegistrationState register(byte[] signedRequest) {
        return RegistrationState.fromJson(post("registrations", signedRequest));
    }

    /** Asks where registration request {@code id} stands. */
    public RegistrationState registrationState(long id) {
        return RegistrationState.fromJson(send(HttpRequest.newBuilder(registryUrl.resolve("registrations/" + id))
                .timeout(TIMEOUT)
                .GET()
                .build()));
    }

    private JsonNode post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(registryUrl.resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.NETWORK_ERROR, "registry " + request.uri() + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrucException(Origin.SERVER, ErrorCode.NETWORK_ERROR, "interrupted calling " + request.uri(), e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.NETWORK_ERROR,
                    "registry answered " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() >= 300) {
            throw registryError(response.statusCode(), json);
        }
        return json;
    }

    private static TrucException registryError(int status, JsonNode json) {
        String type = json.path("type").asText("");
        String code = type.contains(".") ? type.substring(type.lastIndexOf('.') + 1) : "";
        ErrorCode errorCode = ErrorCode.INTERNAL_ERROR;
        for (ErrorCode candidate : ErrorCode.values()) {
            if (candidate.code().equals(code)) {
                errorCode = candidate;
            }
        }
        return new TrucException(
                Origin.REGISTRY,
                errorCode,
                "registry refused (" + status + "): " + json.path("message").asText("?") + " [registry fault "
                        + json.path("detail").asText("?") + "]");
    }
}
