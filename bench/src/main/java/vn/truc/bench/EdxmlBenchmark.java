package vn.truc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vn.truc.core.edxml.Edxml;
import vn.truc.core.edxml.EdxmlPackage;

/**
 * Reading and validating a real edXML package: {@code edoc_new.edxml} from shared/edxml-samples (a
 * new document with its base64 attachment, about 360 KiB).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EdxmlBenchmark {
    private static final Edxml.Limits LIMITS = new Edxml.Limits(16 * 1024 * 1024, 100, 100);

    private byte[] xml;

    @Setup
    public void setUp() throws IOException {
        xml = Files.readAllBytes(Fixtures.sharedFile("edxml-samples/edoc_new.edxml"));
        Edxml.read(xml, LIMITS);
    }

    @Benchmark
    public EdxmlPackage readEdocNew() {
        return Edxml.read(xml, LIMITS);
    }
}
