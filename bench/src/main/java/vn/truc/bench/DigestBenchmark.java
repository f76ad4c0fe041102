package vn.truc.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vn.truc.core.message.BodyDigest;

/** The body digest of a request, taken as the proxy takes it: streamed through {@link BodyDigest}. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DigestBenchmark {
    @Param({"1024", "1048576"})
    public int bodyBytes;

    private byte[] body;

    @Setup
    public void setUp() {
        body = Fixtures.randomBytes(bodyBytes);
    }

    @Benchmark
    public String sha256() throws IOException {
        try (BodyDigest digest = new BodyDigest()) {
            digest.write(body, 0, body.length);
            return digest.value();
        }
    }
}
