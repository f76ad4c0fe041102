package vn.truc.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void portsAreBelowTheEphemeralRangeAndNeverRepeatedWithinOneRound() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePorts.next();
            assertThat(port).isBetween(10_000, FreePorts.ephemeralLow() - 1);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }

    @Test
    void aPortIsFreeToListenOn() throws Exception {
        int port = FreePorts.next();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aPortSomeoneListensOnIsSkipped() throws Exception {
        int taken = FreePorts.next();
        try (ServerSocket holder = new ServerSocket()) {
            holder.bind(new InetSocketAddress(taken));

            assertThat(FreePorts.next(new AtomicInteger(), taken, taken + 1)).isEqualTo(taken + 1);
            assertThatThrownBy(() -> FreePorts.next(new AtomicInteger(), taken, taken))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("no free port between " + taken + " and " + taken);
        }
    }
}
