package vn.truc.server.globalconf;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.error.TrucException;

/**
 * Keeps a {@link GlobalConfClient} fresh: refreshes at once on {@link #start()}, then again
 * {@code interval} after each attempt ends, on one daemon thread named {@value #THREAD_NAME}.
 * A failed refresh never stops the polling; the client has already logged why it failed.
 */
public final class GlobalConfPoller implements AutoCloseable {
    static final String THREAD_NAME = "globalconf-poller";
    private static final Duration AWAIT_STEP = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(GlobalConfPoller.class);

    private final GlobalConfClient client;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public GlobalConfPoller(GlobalConfClient client, Duration interval) {
        this.client = Objects.requireNonNull(client, "client");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("globalconf poll interval: " + interval + " (expected: more than zero)");
        }
        this.interval = interval;
    }

    /** Starts polling; a poller starts once and cannot be restarted after {@link #close()}. */
    public synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("globalconf poller already started");
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        // Fixed delay, not fixed rate: a slow registry must not make attempts pile up.
        executor.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits, checking every 100 ms, until the client holds a valid copy; false if {@code timeout}
     * passed first or the waiting thread was interrupted.
     */
    public boolean awaitValid(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!client.status().valid()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, AWAIT_STEP.toNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Stops polling; an attempt in progress is interrupted. */
    @Override
    public synchronized void close() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("{} did not stop within 5 s", THREAD_NAME);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll() {
        try {
            client.refresh();
        } catch (TrucException e) {
            // already logged by the client with its fault id
        } catch (RuntimeException e) {
            // an escaping exception would cancel every later run
            log.error("unexpected failure refreshing the global configuration; will retry in {}", interval, e);
        }
    }
}
