package vn.truc.cli;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Measures a process from outside while a benchmark runs: CPU time (user + system, of the process
 * and its children, as the kernel counts it in {@code /proc}), the peak resident set
 * ({@code VmHWM}, reset through {@code clear_refs} at each {@link #reset}), and for a JVM the peak
 * heap in use: the highest of the heap-in-use figures its local management agent reports, read
 * every {@value #HEAP_SAMPLE_MILLIS} ms (so a lower bound of the true peak), and the sum of its
 * memory pools' own peaks (an upper bound: the pools peak at different moments).
 */
final class BenchProbe implements AutoCloseable {
    private static final double MIB = 1024.0 * 1024.0;
    private static final long HEAP_SAMPLE_MILLIS = 100;

    /** What a process used between {@link #reset} and {@link #sample}; heap figures are -1 for a non-JVM. */
    record Sample(
            String name,
            long pid,
            double cpuSeconds,
            double peakRssMiB,
            double peakHeapMiB,
            double poolPeaksMiB,
            double maxHeapMiB) {}

    private final String name;
    private final ProcessHandle process;
    private final JMXConnector jmx;
    private final List<MemoryPoolMXBean> heapPools;
    private final double maxHeapMiB;
    private final boolean withChildren;
    private final java.lang.management.MemoryMXBean memory;
    private final java.util.concurrent.ScheduledExecutorService sampler;
    private final java.util.concurrent.atomic.AtomicLong heapPeak = new java.util.concurrent.atomic.AtomicLong();
    private Duration cpuAtReset = Duration.ZERO;

    private BenchProbe(
            String name,
            ProcessHandle process,
            JMXConnector jmx,
            List<MemoryPoolMXBean> heapPools,
            double maxHeapMiB,
            boolean withChildren,
            java.lang.management.MemoryMXBean memory) {
        this.withChildren = withChildren;
        this.memory = memory;
        if (memory == null) {
            this.sampler = null;
        } else {
            this.sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-heap-" + name);
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleAtFixedRate(
                    this::sampleHeap, 0, HEAP_SAMPLE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        this.name = name;
        this.process = process;
        this.jmx = jmx;
        this.heapPools = heapPools;
        this.maxHeapMiB = maxHeapMiB;
    }

    /** A probe of a JVM we started: attaches to it and starts its local management agent. */
    // JMX over RMI deserializes what the other side sends; the other side is the local agent of a
    // server process this command started itself, under the same user, on loopback.
    @SuppressWarnings("BanJNDI")
    static BenchProbe jvm(String name, long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MBeanServerConnection connection = connector.getMBeanServerConnection();
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getPlatformMXBeans(connection, MemoryPoolMXBean.class)) {
            if (pool.getType() == MemoryType.HEAP) {
                pools.add(pool);
            }
        }
        var memory = ManagementFactory.newPlatformMXBeanProxy(
                connection, ManagementFactory.MEMORY_MXBEAN_NAME, java.lang.management.MemoryMXBean.class);
        double max = memory.getHeapMemoryUsage().getMax() / MIB;
        return new BenchProbe(name, handle(pid), connector, pools, max, false, memory);
    }

    /** A probe of a native process (nginx's master) and its children (the workers): CPU and RSS only. */
    static BenchProbe process(String name, long pid) {
        return new BenchProbe(name, handle(pid), null, List.of(), -1, true, null);
    }

    /** A probe of this process (load clients, backend and registry): CPU and RSS, not its children. */
    static BenchProbe self(String name) {
        return new BenchProbe(name, ProcessHandle.current(), null, List.of(), -1, false, null);
    }

    private static ProcessHandle handle(long pid) {
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
    }

    /** Starts a measurement: the CPU time so far is the new zero, and the peaks start again from now. */
    void reset() {
        cpuAtReset = cpu();
        for (ProcessHandle p : family()) {
            try {
                // "5" resets the peak resident set size (VmHWM) to the current one
                Files.writeString(Path.of("/proc", Long.toString(p.pid()), "clear_refs"), "5");
            } catch (IOException | RuntimeException e) {
                // not permitted here: the peak then covers the process's whole life, which is still an upper bound
            }
        }
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        heapPeak.set(0);
        sampleHeap();
    }

    private void sampleHeap() {
        if (memory == null) {
            return;
        }
        try {
            heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        } catch (RuntimeException e) {
            // the process is gone or busy stopping: the samples so far stand
        }
    }

    /** CPU and peaks since the last {@link #reset}. */
    Sample sample() {
        double rss = 0;
        for (ProcessHandle p : family()) {
            rss += peakRssKiB(p.pid()) / 1024.0;
        }
        double heap = -1;
        double pools = -1;
        if (jmx != null) {
            sampleHeap();
            heap = heapPeak.get() / MIB;
            // never below the true peak, and above it when the pools peaked at different moments
            pools = 0;
            for (MemoryPoolMXBean pool : heapPools) {
                pools += pool.getPeakUsage().getUsed() / MIB;
            }
        }
        return new Sample(name, process.pid(), cpu().minus(cpuAtReset).toNanos() / 1e9, rss, heap, pools, maxHeapMiB);
    }

    private List<ProcessHandle> family() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process);
        if (withChildren) {
            process.children().forEach(all::add);
        }
        return all;
    }

    private Duration cpu() {
        Duration total = Duration.ZERO;
        for (ProcessHandle p : family()) {
            Optional<Duration> used = p.info().totalCpuDuration();
            if (used.isPresent()) {
                total = total.plus(used.get());
            }
        }
        return total;
    }

    private static long peakRssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone or /proc is not Linux's: no figure
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        if (jmx != null) {
            jmx.close();
        }
    }
}
