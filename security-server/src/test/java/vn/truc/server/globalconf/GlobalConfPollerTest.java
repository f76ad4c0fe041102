package vn.truc.server.globalconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobalConfPollerTest {
    @TempDir
    Path dir;

    private TestBed bed;
    private TestRegistry registry;

    @BeforeEach
    void setUp() {
        bed = new TestBed(dir);
        registry = bed.registry;
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void awaitValidReturnsTrueAfterRegistryStartsServingValidConf() {
        registry.answerStatus(503);
        try (GlobalConfPoller poller = new GlobalConfPoller(newClient(), Duration.ofMillis(100))) {
            poller.start();
            assertThat(poller.awaitValid(Duration.ofMillis(300))).isFalse();

            registry.serve(bed.signed(1));

            assertThat(poller.awaitValid(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(registry.requests()).isGreaterThan(1);
    }

    @Test
    void refreshesImmediatelyOnStart() {
        registry.serve(bed.signed(1));
        try (GlobalConfPoller poller = new GlobalConfPoller(newClient(), Duration.ofHours(1))) {
            poller.start();

            assertThat(poller.awaitValid(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void pollsOnOneDaemonThreadThatStopsOnClose() throws Exception {
        registry.answerStatus(503);
        GlobalConfPoller poller = new GlobalConfPoller(newClient(), Duration.ofMillis(50));
        // other pollers in this JVM (of servers other tests started) are not this one's business
        List<Thread> others = pollerThreads();
        poller.start();
        List<Thread> threads = pollerThreads();
        threads.removeAll(others);
        assertThat(threads).singleElement().satisfies(t -> assertThat(t.isDaemon())
                .isTrue());

        poller.close();

        threads.get(0).join(5_000);
        assertThat(threads.get(0).isAlive()).isFalse();
        int requests = registry.requests();
        Thread.sleep(200);
        assertThat(registry.requests()).isEqualTo(requests);
    }

    @Test
    void rejectsNonPositiveInterval() {
        assertThatThrownBy(() -> new GlobalConfPoller(newClient(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: more than zero");
    }

    private GlobalConfClient newClient() {
        return bed.newClient();
    }

    private static List<Thread> pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(GlobalConfPoller.THREAD_NAME) && t.isAlive())
                .collect(Collectors.toList());
    }
}
