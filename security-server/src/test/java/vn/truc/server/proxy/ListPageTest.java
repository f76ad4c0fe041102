package vn.truc.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ListPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Entries of ~1 KB each, ids 11 to 30. */
    private static final List<Long> IDS = LongStream.rangeClosed(11, 30).boxed().toList();

    @Test
    void aPageWithinItsBudgetHoldsEveryEntryAskedFor() throws Exception {
        JsonNode page = page(IDS, 10, 1024 * 1024);

        assertThat(ids(page)).containsExactlyElementsOf(IDS);
        assertThat(page.get("next").asLong()).isEqualTo(30);
    }

    @Test
    void aPageEndsAtItsBudgetAndNextLeadsThroughTheRestExactlyOnce() throws Exception {
        List<Long> seen = new ArrayList<>();
        long after = 10;
        int pages = 0;
        while (after < 30) {
            long cursor = after;
            List<Long> rest = IDS.stream().filter(id -> id > cursor).toList();
            JsonNode page = page(rest, cursor, 3_000);
            List<Long> ids = ids(page);
            assertThat(ids).hasSizeBetween(1, 4);
            assertThat(JSON.writeValueAsBytes(page).length).isLessThan(3_000 + 1_100);
            seen.addAll(ids);
            after = page.get("next").asLong();
            pages++;
        }

        assertThat(seen).containsExactlyElementsOf(IDS);
        assertThat(pages).isGreaterThan(4);
    }

    @Test
    void anEntryLargerThanTheBudgetStillGoesOutAlone() throws Exception {
        JsonNode page = page(IDS, 10, 10);

        assertThat(ids(page)).containsExactly(11L);
        assertThat(page.get("next").asLong()).isEqualTo(11);
    }

    @Test
    void anEmptyPageKeepsTheCursor() throws Exception {
        JsonNode page = page(List.of(), 42, 1024);

        assertThat(page.get("documents")).isEmpty();
        assertThat(page.get("next").asLong()).isEqualTo(42);
    }

    private static JsonNode page(List<Long> ids, long after, int maxBytes) throws Exception {
        byte[] bytes = ListPage.write(ids, after, maxBytes, Long::longValue, id -> JSON.createObjectNode()
                .put("id", id)
                .put("receipt", "r".repeat(1000)));
        return JSON.readTree(bytes);
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("documents").forEach(e -> ids.add(e.get("id").asLong()));
        return ids;
    }
}
