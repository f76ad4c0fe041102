package vn.truc.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed number of client threads, each calling one request after the other for a time or until a
 * shared count is used up, timing every call. Every latency is kept (a long per call) and sorted at
 * the end, so the percentiles are exact rather than a histogram's approximation.
 */
final class BenchLoad {
    private static final int ERROR_SAMPLES = 5;

    /** One call; it throws when the call failed (an exception or an unexpected answer). */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** What a run did: calls made, calls that failed, wall time, and latencies of the calls that passed. */
    record Result(
            long requests,
            long errors,
            double seconds,
            double perSecond,
            double p50Ms,
            double p99Ms,
            double maxMs,
            double meanMs,
            List<String> errorSamples) {}

    private BenchLoad() {}

    /**
     * Runs {@code call} from {@code clients} threads until {@code duration} has passed or, when
     * {@code requests} is above zero, until that many calls were made in all.
     */
    static Result run(int clients, Duration duration, long requests, Call call) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch ready = new CountDownLatch(clients);
            CountDownLatch go = new CountDownLatch(1);
            AtomicLong remaining = new AtomicLong(requests);
            List<String> samples = Collections.synchronizedList(new ArrayList<>());
            long[] deadline = new long[1];
            List<Future<Client>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    // deadline[0] is written before the start latch opens, so it is visible here
                    return new Client().loop(call, requests > 0 ? remaining : null, deadline[0], samples);
                }));
            }
            ready.await();
            long start = System.nanoTime();
            deadline[0] = start + duration.toNanos();
            go.countDown();
            List<Client> done = new ArrayList<>();
            for (Future<Client> f : futures) {
                done.add(get(f));
            }
            return summarise(done, (System.nanoTime() - start) / 1e9, samples);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Client get(Future<Client> future) throws InterruptedException {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a load client stopped: " + e.getCause(), e.getCause());
        }
    }

    private static Result summarise(List<Client> clients, double seconds, List<String> samples) {
        int n = 0;
        long errors = 0;
        for (Client c : clients) {
            n += c.count;
            errors += c.errors;
        }
        long[] all = new long[n];
        int at = 0;
        for (Client c : clients) {
            System.arraycopy(c.latencies, 0, all, at, c.count);
            at += c.count;
        }
        Arrays.sort(all);
        double sum = 0;
        for (long l : all) {
            sum += l;
        }
        return new Result(
                n + errors,
                errors,
                seconds,
                n / seconds,
                millis(percentile(all, 0.50)),
                millis(percentile(all, 0.99)),
                millis(n == 0 ? 0 : all[n - 1]),
                n == 0 ? 0 : sum / n / 1e6,
                List.copyOf(samples));
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** One client thread's calls; only its own thread touches it until it is returned. */
    private static final class Client {
        long[] latencies = new long[1024];
        int count;
        long errors;

        Client loop(Call call, AtomicLong remaining, long deadline, List<String> samples) {
            while (remaining != null ? remaining.getAndDecrement() > 0 : System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                try {
                    call.run();
                    record(System.nanoTime() - t0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return this;
                } catch (Exception e) {
                    errors++;
                    if (samples.size() < ERROR_SAMPLES) {
                        samples.add(e.toString());
                    }
                }
            }
            return this;
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }
}
