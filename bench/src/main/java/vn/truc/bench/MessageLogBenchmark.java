package vn.truc.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.Digests;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.message.MessageManifest;
import vn.truc.core.message.MessageSignatures;
import vn.truc.core.testing.TestPki;
import vn.truc.server.store.LogRecord;
import vn.truc.server.store.MessageLog;
import vn.truc.server.store.ServerStore;

/**
 * Appending one signed request to the message log, each in its own committed transaction, in the
 * server's default database: an H2 file in a fresh temporary directory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class MessageLogBenchmark {
    private static final SecurityServerId PEER = SecurityServerId.parse("VN/GOV/000.00.00.H41/ss1");

    private Path serverDir;
    private ServerStore store;
    private MessageLog log;
    private MessageManifest manifest;
    private String manifestJson;
    private byte[] signature;
    private String signerCertHash;
    private long sequence;

    @Setup
    public void setUp() throws IOException {
        serverDir = Files.createTempDirectory("truc-bench-log");
        store = ServerStore.open(serverDir);
        log = store.messageLog();
        TestPki pki = TestPki.newCa("Truc Bench CA");
        KeyAndChain signer = pki.issue(Fixtures.CLIENT_MEMBER, CertificateProfile.SIGN);
        manifest = Fixtures.request("bench-0", Fixtures.randomBytes(1024));
        byte[] manifestBytes = manifest.toBytes();
        manifestJson = new String(manifestBytes, StandardCharsets.UTF_8);
        signature = MessageSignatures.sign(manifestBytes, signer, Fixtures.ocspResponse(pki, signer.certificate()));
        signerCertHash = HexFormat.of().formatHex(Digests.sha256(Certificates.der(signer.certificate())));
    }

    @TearDown
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(serverDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Benchmark
    public long appendSignedRequest() {
        LogRecord record = new LogRecord(
                0,
                manifest.createdAt(),
                "bench-" + ++sequence,
                LogRecord.Direction.OUT,
                LogRecord.Kind.REQUEST,
                manifest.client(),
                manifest.service(),
                manifest.bodyDigest(),
                manifestJson,
                signature,
                signerCertHash,
                PEER);
        return log.append(record);
    }
}
