package vn.truc.bench;

import java.util.ArrayList;
import java.util.List;
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
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.message.MessageSignatures;
import vn.truc.core.message.VerifiedSignature;
import vn.truc.core.testing.TestPki;

/**
 * Message signatures as each hop makes and checks them: RSA-2048 detached CMS over a 1 KiB
 * request's manifest, with the signer's chain and an OCSP response inside. Verify checks the
 * signature only; trust decisions (chain, OCSP freshness) are not part of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SignatureBenchmark {
    static final int BATCH = 16;

    private KeyAndChain signer;
    private byte[] manifest;
    private byte[] ocspResponse;
    private byte[] signature;
    private List<byte[]> batch;
    private byte[] batchSignature;

    @Setup
    public void setUp() {
        TestPki pki = TestPki.newCa("Truc Bench CA");
        signer = pki.issue(Fixtures.CLIENT_MEMBER, CertificateProfile.SIGN);
        manifest = Fixtures.request("bench-1", Fixtures.randomBytes(1024)).toBytes();
        ocspResponse = Fixtures.ocspResponse(pki, signer.certificate());
        signature = MessageSignatures.sign(manifest, signer, ocspResponse);
        MessageSignatures.verify(signature, manifest);
        batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            batch.add(Fixtures.request("bench-" + i, Fixtures.randomBytes(1024)).toBytes());
        }
        batchSignature = MessageSignatures.signEach(batch, signer, ocspResponse).get(BATCH / 2);
        MessageSignatures.verify(batchSignature, batch.get(BATCH / 2));
    }

    @Benchmark
    public byte[] signRsa2048() {
        return MessageSignatures.sign(manifest, signer, ocspResponse);
    }

    @Benchmark
    public VerifiedSignature verifyRsa2048() {
        return MessageSignatures.verify(signature, manifest);
    }

    /** One operation signs {@value #BATCH} manifests: one RSA operation, a CMS with its path each. */
    @Benchmark
    public List<byte[]> signBatchOf16Rsa2048() {
        return MessageSignatures.signEach(batch, signer, ocspResponse);
    }

    /** A batch signature's check: the path to the root, then the CMS over the root. */
    @Benchmark
    public VerifiedSignature verifyBatchedRsa2048() {
        return MessageSignatures.verify(batchSignature, batch.get(BATCH / 2));
    }
}
