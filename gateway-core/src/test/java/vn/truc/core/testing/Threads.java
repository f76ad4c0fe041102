package vn.truc.core.testing;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Which threads an action left running: take {@link #now()} before it, {@link #leftRunningSince} after. */
public final class Threads {
    private Threads() {}

    /** Every live thread of this JVM. */
    public static Set<Thread> now() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /**
     * The threads started since {@code before} that are still alive after each was given up to 5 s
     * to end, leaving out those whose names start with one of {@code ignoredPrefixes}.
     */
    public static List<Thread> leftRunningSince(Set<Thread> before, String... ignoredPrefixes)
            throws InterruptedException {
        Set<Thread> started = now();
        started.removeAll(before);
        started.removeIf(t -> Arrays.stream(ignoredPrefixes).anyMatch(t.getName()::startsWith));
        for (Thread thread : started) {
            thread.join(5_000);
        }
        return started.stream().filter(Thread::isAlive).collect(Collectors.toList());
    }
}
