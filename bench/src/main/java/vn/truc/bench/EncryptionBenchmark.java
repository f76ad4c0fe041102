package vn.truc.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
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
import vn.truc.core.document.DocumentEncryption;
import vn.truc.core.testing.TestPki;

/**
 * Encrypting a 100 KiB document for one RSA-2048 recipient, and decrypting it with the recipient's
 * key: CMS AuthEnvelopedData, RSA-OAEP key transport, AES-256-GCM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EncryptionBenchmark {
    private static final int DOCUMENT_BYTES = 100 * 1024;

    private byte[] document;
    private List<X509Certificate> recipients;
    private KeyAndChain recipientKey;
    private byte[] encrypted;
    private ByteArrayOutputStream out;

    @Setup
    public void setUp() {
        TestPki pki = TestPki.newCa("Truc Bench CA");
        // AUTH certificates carry keyEncipherment, which an RSA recipient needs.
        recipientKey = pki.issue("VN/GOV/000.00.00.H41", CertificateProfile.AUTH);
        recipients = List.of(recipientKey.certificate());
        document = Fixtures.randomBytes(DOCUMENT_BYTES);
        out = new ByteArrayOutputStream(DOCUMENT_BYTES + 4096);
        try {
            DocumentEncryption.encrypt(new ByteArrayInputStream(document), out, recipients);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        encrypted = out.toByteArray();
    }

    @Benchmark
    public int encrypt100KiB() throws IOException {
        out.reset();
        DocumentEncryption.encrypt(new ByteArrayInputStream(document), out, recipients);
        return out.size();
    }

    @Benchmark
    public int decrypt100KiB() throws IOException {
        out.reset();
        DocumentEncryption.decrypt(new ByteArrayInputStream(encrypted), out, recipientKey);
        return out.size();
    }
}
