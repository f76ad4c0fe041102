package vn.truc.server.proxy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One page of a document listing, {@code {"documents": [...], "next": <id>}}, written entry by entry.
 * A page holds the entries asked for, but ends early once it has reached {@code maxBytes}: an outbox
 * entry carries every recipient's signed receipt (~7 KB each), so a page of a thousand documents to
 * ten agencies would be ~70 MB, enough to exhaust a server's heap while it is built. {@code next} is
 * the id of the last entry written, so a client that follows it, as the API asks, misses nothing.
 * A page always holds at least one entry when there is one.
 */
final class ListPage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ListPage() {}

    static <T> byte[] write(
            List<T> entries, long after, int maxBytes, ToLongFunction<T> id, Function<T, JsonNode> json) {
        ByteArrayOutputStream page = new ByteArrayOutputStream();
        long next = after;
        try (JsonGenerator out = JSON.createGenerator(page)) {
            out.writeStartObject();
            out.writeArrayFieldStart("documents");
            for (T entry : entries) {
                if (next != after && page.size() >= maxBytes) {
                    break;
                }
                JSON.writeTree(out, json.apply(entry));
                out.flush();
                next = id.applyAsLong(entry);
            }
            out.writeEndArray();
            out.writeNumberField("next", next);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a list page to memory", e);
        }
        return page.toByteArray();
    }
}
