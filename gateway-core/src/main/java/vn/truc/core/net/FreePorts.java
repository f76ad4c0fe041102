package vn.truc.core.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for servers that must know their port before they listen: a security server's address
 * is registered, and published in the global configuration, before the server starts.
 *
 * <p>The ports come from below the kernel's ephemeral range. A port taken with {@code new
 * ServerSocket(0)} lies inside that range, and until the server binds it, any outgoing
 * connection on the machine may be given the same port; the server then fails with "Address
 * already in use". Below the range only other listeners compete, and each port handed out here
 * was free when it was chosen and is not handed out again by this process until the other
 * ports of the range have been.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    /** Linux's default, for systems that do not say. */
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int HIGHEST = ephemeralLow() - 1;
    // a random start, so two processes choosing at once are unlikely to try the same ports
    private static final AtomicInteger cursor =
            new AtomicInteger(ThreadLocalRandom.current().nextInt(Math.max(1, HIGHEST - LOWEST + 1)));

    private FreePorts() {}

    /** A port that nothing listens on now and that the kernel does not give to outgoing connections. */
    public static int next() {
        if (HIGHEST - LOWEST + 1 < 1_000) {
            return anyFree(); // the ephemeral range starts unusually low: nowhere better to go
        }
        return next(cursor, LOWEST, HIGHEST);
    }

    /** The first bindable port of {@code low..high}, trying them in turn from {@code cursor}. */
    static int next(AtomicInteger cursor, int low, int high) {
        int size = high - low + 1;
        for (int tried = 0; tried < size; tried++) {
            int port = low + Math.floorMod(cursor.getAndIncrement(), size);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + low + " and " + high);
    }

    /** The first port of the ephemeral range, which this class stays below. */
    static int ephemeralLow() {
        // read as a stream: some kernels report a size for /proc files that cuts Files.readString short
        try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            String[] range = reader.readLine().trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // without SO_REUSEADDR, a port with connections still in TIME_WAIT counts as taken
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
