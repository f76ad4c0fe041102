package vn.truc.server.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.server.documents.InboxEntry;

/**
 * Tells the DMS that a package arrived, when {@code documents.webhook-url} is set: a {@code POST}
 * of a small JSON notice, sent once, in the background. It is a hint to fetch early, never the only
 * way to learn of a document: a DMS still lists its inbox, which holds everything whether or not the
 * notice reached it.
 */
final class Webhook implements DocumentReceiver.Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Webhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final HttpClient http;

    Webhook(URI url, HttpClient http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public void received(InboxEntry entry) {
        if (url == null) {
            return;
        }
        var notice = JSON.createObjectNode()
                .put("event", "received")
                .put("id", entry.id())
                .put("recipient", entry.recipient().toString())
                .put("sender", entry.senderClient().toString())
                .put("documentId", entry.documentId())
                .put("kind", entry.info().kind().name().toLowerCase(java.util.Locale.ROOT))
                .put("location", "/documents/v1/inbox/" + entry.id());
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(notice.toString()))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error != null || response.statusCode() >= 300) {
                LOG.warn(
                        "webhook {} not told of inbox document {}: {}",
                        url,
                        entry.id(),
                        error != null ? error.toString() : "status " + response.statusCode());
            }
        });
    }
}
