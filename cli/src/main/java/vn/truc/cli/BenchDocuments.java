package vn.truc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Documents for {@code truc bench}: packages of metadata and one file sent by the client agency's
 * DMS to its own server's {@code /documents/v1/outbox}, and then followed until every recipient's
 * signed receipt is back. Accepted is a {@code 202} (on disk and committed); delivered is a
 * delivery in state {@code delivered} with the recipient's signed receipt, at the time the sending
 * server recorded it.
 */
final class BenchDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOUNDARY = "truc-bench-7d1c4f";
    private static final AtomicLong NUMBERS = new AtomicLong();

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String outbox;

    /** Delivery of a batch of documents, as the sender's outbox reports it. */
    record Delivered(long documents, long deliveries, long withReceipt, long pending, Instant lastDeliveredAt) {}

    BenchDocuments(String senderClientProxy) {
        this.outbox = senderClientProxy + "/documents/v1/outbox";
    }

    /** A call that sends one document of {@code file} to {@code recipients}, adding its outbox id to {@code ids}. */
    BenchLoad.Call sender(byte[] file, List<String> recipients, Queue<Long> ids) {
        String sha256 = Base64.getEncoder().encodeToString(sha256(file));
        return () -> {
            byte[] head = multipartHead(metadata(recipients, sha256, file.length, "bench.bin"), "bench.bin");
            byte[] body = new byte[head.length + file.length + tail().length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(file, 0, body, head.length, file.length);
            System.arraycopy(tail(), 0, body, head.length + file.length, tail().length);
            HttpResponse<String> response = http.send(
                    send().POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            ids.add(accepted(response));
        };
    }

    /**
     * Sends one document of {@code size} bytes (a generated pattern, hashed first in a pass of its
     * own) to {@code recipient}, streaming it, and answers its outbox id.
     */
    long sendLarge(long size, String recipient) throws IOException, InterruptedException {
        MessageDigest digest = newSha256();
        try (InputStream in = new DigestInputStream(new PatternStream(size), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String sha256 = Base64.getEncoder().encodeToString(digest.digest());
        byte[] head = multipartHead(metadata(List.of(recipient), sha256, size, "large.bin"), "large.bin");
        byte[] tail = tail();
        HttpRequest request = send().timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                                new SequenceInputStream(
                                        new java.io.ByteArrayInputStream(head), new PatternStream(size)),
                                new java.io.ByteArrayInputStream(tail))),
                        head.length + size + tail.length))
                .build();
        return accepted(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * Waits until every document in {@code ids} is delivered to all its recipients, or {@code timeout}
     * has passed: watches the last one, then reads the whole range from the outbox list.
     */
    Delivered awaitDelivered(List<Long> ids, Duration timeout) throws IOException, InterruptedException {
        if (ids.isEmpty()) {
            return new Delivered(0, 0, 0, 0, null);
        }
        long first = ids.stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = ids.stream().mapToLong(Long::longValue).max().orElseThrow();
        long deadline = System.nanoTime() + timeout.toNanos();
        Delivered seen;
        do {
            if (settled(get(outbox + "/" + last))) {
                seen = scan(first, last);
                if (seen.pending() == 0) {
                    return seen;
                }
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return scan(first, last);
    }

    private Delivered scan(long first, long last) throws IOException, InterruptedException {
        long documents = 0;
        long deliveries = 0;
        long withReceipt = 0;
        long pending = 0;
        Instant latest = null;
        long after = first - 1;
        while (after < last) {
            JsonNode page = get(outbox + "?after=" + after + "&limit=1000");
            if (page.get("documents").isEmpty()) {
                break;
            }
            for (JsonNode entry : page.get("documents")) {
                if (entry.get("id").asLong() > last) {
                    break;
                }
                documents++;
                for (JsonNode d : entry.get("deliveries")) {
                    deliveries++;
                    if ("delivered".equals(d.path("state").asText()) && d.has("receipt")) {
                        withReceipt++;
                        Instant at = Instant.parse(d.get("deliveredAt").asText());
                        latest = latest == null || at.isAfter(latest) ? at : latest;
                    } else {
                        pending++;
                    }
                }
            }
            after = page.get("next").asLong();
        }
        return new Delivered(documents, deliveries, withReceipt, pending, latest);
    }

    /** The outbox entry of {@code id}. */
    JsonNode entry(long id) throws IOException, InterruptedException {
        return get(outbox + "/" + id);
    }

    /** True once no delivery of the entry is queued or under way. */
    static boolean settled(JsonNode entry) {
        for (JsonNode d : entry.path("deliveries")) {
            if (d.path("state").asText().matches("queued|delivering")) {
                return false;
            }
        }
        return entry.path("deliveries").size() > 0;
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("X-Road-Client", BenchFederation.CLIENT_SUBSYSTEM)
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpRequest.Builder send() {
        return HttpRequest.newBuilder(URI.create(outbox))
                .timeout(Duration.ofSeconds(60))
                .header("X-Road-Client", BenchFederation.CLIENT_SUBSYSTEM)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
    }

    private static long accepted(HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 202) {
            throw new IllegalStateException("send answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asLong();
    }

    private static String metadata(List<String> recipients, String sha256, long size, String filename) {
        var node = JSON.createObjectNode();
        // a DocumentId per document, so none is taken for a repeat
        node.put(
                "documentId",
                String.format(
                        Locale.ROOT,
                        "%s,2026/11/23,%d/BENCH-%d",
                        BenchFederation.CLIENT,
                        NUMBERS.incrementAndGet(),
                        size));
        var to = node.putArray("recipients");
        recipients.forEach(to::add);
        node.putArray("files").addObject().put("name", filename).put("sha256", sha256);
        return node.toString();
    }

    private static byte[] multipartHead(String metadata, String filename) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n"
                + metadata + "\r\n"
                + "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] tail() {
        return ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code bytes} of the pattern the large document is made of. */
    static byte[] pattern(int bytes) throws IOException {
        try (InputStream in = new PatternStream(bytes)) {
            return in.readAllBytes();
        }
    }

    /** A fresh list of what {@code ids} holds. */
    static List<Long> drain(Queue<Long> ids) {
        return new ArrayList<>(ids);
    }

    static Queue<Long> newIds() {
        return new ConcurrentLinkedQueue<>();
    }

    private static byte[] sha256(byte[] data) {
        return newSha256().digest(data);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
