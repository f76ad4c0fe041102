package vn.truc.server.globalconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.testing.MutableClock;

/** One test's world: a registry on port 0, a hand-moved clock, an anchor and a directory for the copy. */
final class TestBed implements AutoCloseable {
    static final TestFederation FEDERATION = new TestFederation();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final TestRegistry registry = TestRegistry.start();
    final Anchor anchor = FEDERATION.anchor(registry.baseUri(), clock.instant());
    private final Path dir;

    TestBed(Path dir) {
        this.dir = dir;
    }

    GlobalConfClient newClient() {
        return new GlobalConfClient(anchor, dir, clock, HTTP);
    }

    /** Configuration {@code serial}, generated now, valid for an hour, signed by the registry. */
    byte[] signed(long serial) {
        return FEDERATION.sign(TestFederation.conf(serial, clock.instant()));
    }

    /** Has a client accept {@code serial}, so that it is on disk; returns the bytes served. */
    byte[] accepted(long serial) {
        byte[] signed = signed(serial);
        registry.serve(signed);
        newClient().refresh();
        return signed;
    }

    @Override
    public void close() {
        registry.close();
    }

    /** Asserts that refresh fails with {@code code} from the server's side, and allows checks on the message. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(GlobalConfClient client, ErrorCode code) {
        TrucException e = catchThrowableOfType(TrucException.class, client::refresh);
        assertThat(e).as("refresh must be refused with %s", code).isNotNull();
        assertThat(e.code()).as(e.describe()).isEqualTo(code);
        assertThat(e.origin()).isEqualTo(Origin.SERVER);
        return assertThat((Throwable) e);
    }

    /** The client still holds {@code serial}, on disk as {@code bytes}, and remembers the failure. */
    static void assertKeeps(GlobalConfClient client, long serial, byte[] bytes) {
        assertThat(client.current())
                .hasValueSatisfying(c -> assertThat(c.serial()).isEqualTo(serial));
        assertThat(client.status().lastError()).isNotNull();
        assertThat(read(client.file())).isEqualTo(bytes);
    }

    /** Nothing held, nothing written. */
    static void assertAcceptedNothing(GlobalConfClient client) {
        assertHoldsNothing(client);
        assertThat(client.file()).doesNotExist();
    }

    static void assertHoldsNothing(GlobalConfClient client) {
        assertThat(client.current()).isEmpty();
        assertThat(client.status().present()).isFalse();
        assertThat(client.status().valid()).isFalse();
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
