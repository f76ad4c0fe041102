package vn.truc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A DMS as tests play it: calls its own security server's document API as one subsystem. */
final class Dms {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String client;

    /** An answer: its status, the JSON body when there is one, and the raw bytes. */
    record Answer(int status, JsonNode json, byte[] bytes, HttpResponse<byte[]> response) {}

    Dms(SecurityServer server, String client) {
        this.base = "http://127.0.0.1:" + server.clientProxyPort() + "/documents/v1/";
        this.client = client;
    }

    Answer send(byte[] body, String contentType) {
        return call("POST", "outbox", body, contentType);
    }

    /** Sends and expects it accepted; returns the outbox id. */
    long sendAccepted(byte[] body, String contentType) {
        Answer answer = send(body, contentType);
        assertThat(answer.status()).as("send answered %s", answer.json()).isEqualTo(202);
        return answer.json().get("id").asLong();
    }

    JsonNode outbox(long id) {
        return ok(call("GET", "outbox/" + id, null, null));
    }

    JsonNode inbox() {
        return ok(call("GET", "inbox", null, null));
    }

    Answer fetch(long id) {
        return call("GET", "inbox/" + id, null, null);
    }

    JsonNode verification(long id) {
        return ok(call("GET", "inbox/" + id + "/verification", null, null));
    }

    JsonNode ack(long id, String result) {
        return ok(call(
                "POST", "inbox/" + id + "/ack", ("{\"result\":\"" + result + "\"}").getBytes(), "application/json"));
    }

    Answer status(long inboxId, String code) {
        return call(
                "POST",
                "inbox/" + inboxId + "/status",
                ("{\"statusCode\":\"" + code + "\",\"description\":\"trạng thái " + code + "\",\"staff\":\"Văn thư\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json");
    }

    /** The outbox entry once {@code until} holds for it; fails after {@code timeout}. */
    JsonNode awaitOutbox(long id, Predicate<JsonNode> until, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode entry = outbox(id);
        while (!until.test(entry) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            entry = outbox(id);
        }
        assertThat(until.test(entry))
                .as("outbox entry %s after %s: %s", id, timeout, entry)
                .isTrue();
        return entry;
    }

    /** Whether every delivery of an outbox entry is in {@code state}. */
    static Predicate<JsonNode> all(String state) {
        return entry -> {
            for (JsonNode d : entry.get("deliveries")) {
                if (!state.equals(d.get("state").asText())) {
                    return false;
                }
            }
            return true;
        };
    }

    /** The inbox entries (not yet picked up) once there are at least {@code count}. */
    JsonNode awaitInbox(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode list = inbox().get("documents");
        while (list.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            list = inbox().get("documents");
        }
        assertThat(list.size()).as("inbox of %s: %s", client, list).isGreaterThanOrEqualTo(count);
        return list;
    }

    Answer call(String method, String path, byte[] body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("X-Road-Client", client)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = null;
            if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                json = JSON.readTree(response.body());
            }
            return new Answer(response.statusCode(), json, response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode ok(Answer answer) {
        assertThat(answer.status()).as("answer %s", answer.json()).isEqualTo(200);
        return answer.json();
    }
}
