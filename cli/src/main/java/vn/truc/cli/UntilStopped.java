package vn.truc.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a started component running until the process is asked to stop (Ctrl-C, SIGTERM). */
final class UntilStopped {
    private UntilStopped() {}

    /** Blocks until shutdown, then closes {@code running} from the shutdown hook. */
    static void run(AutoCloseable running) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("truc: error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }));
        stopped.await();
    }
}
