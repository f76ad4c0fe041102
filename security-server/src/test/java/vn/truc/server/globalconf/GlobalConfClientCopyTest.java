package vn.truc.server.globalconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static vn.truc.server.globalconf.TestBed.assertHoldsNothing;
import static vn.truc.server.globalconf.TestBed.assertRejected;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;

/** The copy a client holds: served while valid, refused once expired, kept across restarts, reported. */
class GlobalConfClientCopyTest {
    @TempDir
    Path dir;

    private TestBed bed;

    @BeforeEach
    void setUp() {
        bed = new TestBed(dir);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void requireValidThrowsConfExpiredOnceClockPassesExpiryAndRecoversAfterFreshDownload() {
        bed.registry.serve(bed.signed(1));
        GlobalConfClient client = bed.newClient();
        GlobalConf first = client.refresh();

        bed.clock.advance(Duration.ofHours(1));
        TrucException expired = catchThrowableOfType(TrucException.class, client::requireValid);
        assertThat(expired.code()).isEqualTo(ErrorCode.CONF_EXPIRED);
        assertThat(expired.origin()).isEqualTo(Origin.SERVER);
        assertThat(expired)
                .hasMessageContaining("expired at " + first.expiresAt())
                .hasMessageContaining("no traffic");
        assertThat(client.current()).contains(first);
        assertThat(client.status().valid()).isFalse();

        bed.registry.serve(bed.signed(2));
        client.refresh();
        assertThat(client.requireValid().serial()).isEqualTo(2);
        assertThat(client.status().valid()).isTrue();
    }

    @Test
    void requireValidWithoutAnyCopyThrowsConfUnavailable() {
        TrucException e = catchThrowableOfType(TrucException.class, bed.newClient()::requireValid);

        assertThat(e.code()).isEqualTo(ErrorCode.CONF_UNAVAILABLE);
        assertThat(e).hasMessageContaining(bed.registry.baseUri() + "globalconf");
    }

    @Test
    void reloadsLastGoodCopyInNewClientOverSameDir() {
        bed.registry.serve(bed.signed(8));
        GlobalConf conf = bed.newClient().refresh();
        bed.registry.answerStatus(503);

        GlobalConfClient reborn = bed.newClient();

        assertThat(reborn.current()).contains(conf);
        assertThat(reborn.requireValid()).isEqualTo(conf);
        assertThat(reborn.status().present()).isTrue();
        assertThat(reborn.status().lastSuccess()).isNull();
        bed.registry.serve(bed.signed(6));
        assertRejected(reborn, ErrorCode.CONF_OUTDATED);
    }

    @Test
    void ignoresTruncatedLocalCopy() throws Exception {
        byte[] held = bed.accepted(1);
        Files.write(dir.resolve("globalconf.xml"), Arrays.copyOf(held, held.length / 2));

        assertHoldsNothing(bed.newClient());
    }

    @Test
    void ignoresLocalCopyWhoseSignatureNoLongerVerifiesAndReplacesItOnNextDownload() throws Exception {
        byte[] held = bed.accepted(1);
        Files.write(
                dir.resolve("globalconf.xml"),
                TestFederation.replace(held, TestFederation.MEMBER_NAME, "Government Offica"));
        GlobalConfClient client = bed.newClient();
        assertHoldsNothing(client);

        client.refresh();

        assertThat(TestBed.read(client.file())).isEqualTo(held);
    }

    @Test
    void statusTracksAttemptsSuccessesAndTheLastError() {
        bed.registry.serve(bed.signed(1));
        GlobalConfClient client = bed.newClient();
        Instant first = bed.clock.instant();
        client.refresh();
        bed.clock.advance(Duration.ofMinutes(1));
        bed.registry.answerStatus(500);
        TrucException failure = catchThrowableOfType(TrucException.class, client::refresh);

        GlobalConfClient.Status status = client.status();

        assertThat(status.present()).isTrue();
        assertThat(status.valid()).isTrue();
        assertThat(status.serial()).isEqualTo(1);
        assertThat(status.lastSuccess()).isEqualTo(first);
        assertThat(status.lastAttempt()).isEqualTo(first.plus(Duration.ofMinutes(1)));
        assertThat(status.lastError()).isEqualTo(failure.describe());
    }

    @Test
    void logsEveryRejectionAtWarnWithItsFaultId() {
        Logger logger = (Logger) LoggerFactory.getLogger(GlobalConfClient.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            bed.registry.answerStatus(404);
            TrucException e = catchThrowableOfType(TrucException.class, bed.newClient()::refresh);

            assertThat(appender.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains(e.faultId()).contains("conf_unavailable");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }
}
