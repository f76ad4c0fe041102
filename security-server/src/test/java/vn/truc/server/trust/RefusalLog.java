package vn.truc.server.trust;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** The WARN lines {@link PeerTrustManager} logs while open, from whichever thread logs them. */
final class RefusalLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    RefusalLog() {
        start();
        logger().addAppender(this);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits up to ten seconds for a line containing all {@code parts}, then asserts there is one. */
    void assertLogged(String... parts) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline
                && lines.stream().noneMatch(line -> List.of(parts).stream().allMatch(line::contains))) {
            Thread.sleep(20);
        }
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(parts));
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel() == Level.WARN) {
            lines.add(event.getFormattedMessage());
        }
    }

    @Override
    public void close() {
        logger().detachAppender(this);
        stop();
    }

    private static Logger logger() {
        return (Logger) LoggerFactory.getLogger(PeerTrustManager.class);
    }
}
