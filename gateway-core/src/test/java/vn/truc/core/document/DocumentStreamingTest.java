package vn.truc.core.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.message.BodyDigest;

/** Documents stream: no step waits for the whole document, so its size is bounded by disk, not heap. */
class DocumentStreamingTest {
    private static final long SIZE = 64L * 1024 * 1024;

    @Test
    void decryptsSixtyFourMebibytesAsTheyArriveThroughAPipe(@TempDir Path dir) throws Exception {
        KeyAndChain recipient = DocumentPki.recipient(KeyAlgorithm.EC, DocumentPki.H41);
        GeneratedDocument document = new GeneratedDocument(SIZE);
        PipedInputStream cms = new PipedInputStream(256 * 1024);
        PipedOutputStream cmsOut = new PipedOutputStream(cms);
        ExecutorService sender = Executors.newSingleThreadExecutor();
        Path plaintext = dir.resolve("plaintext.bin");
        long[] encryptedWhenPlaintextBegan = {-1};
        try {
            Future<?> encrypted = sender.submit(() -> {
                try (cmsOut) {
                    DocumentEncryption.encrypt(document, cmsOut, List.of(recipient.certificate()));
                }
                return null;
            });
            try (OutputStream file = Files.newOutputStream(plaintext)) {
                OutputStream watched = new FilterOutputStream(file) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (encryptedWhenPlaintextBegan[0] < 0) {
                            encryptedWhenPlaintextBegan[0] = document.served();
                        }
                        out.write(b, off, len);
                    }
                };
                DocumentEncryption.decrypt(cms, watched, recipient);
            }
            encrypted.get();
        } finally {
            sender.shutdownNow();
        }

        assertThat(Files.size(plaintext)).isEqualTo(SIZE);
        assertThat(BodyDigest.of(plaintext)).isEqualTo(document.digest());
        assertThat(encryptedWhenPlaintextBegan[0]).isBetween(1L, SIZE / 8);
    }

    @Test
    void roundTripsSixtyFourMebibytesThroughFiles(@TempDir Path dir) throws Exception {
        KeyAndChain recipient = DocumentPki.recipient(KeyAlgorithm.RSA, DocumentPki.G22);
        GeneratedDocument document = new GeneratedDocument(SIZE);
        Path cms = dir.resolve("document.cms");
        Path plaintext = dir.resolve("plaintext.bin");

        try (OutputStream out = Files.newOutputStream(cms)) {
            DocumentEncryption.encrypt(document, out, List.of(recipient.certificate()));
        }
        try (InputStream in = Files.newInputStream(cms);
                OutputStream out = Files.newOutputStream(plaintext)) {
            DocumentEncryption.decrypt(in, out, recipient);
        }

        assertThat(Files.size(cms)).isGreaterThan(SIZE);
        assertThat(BodyDigest.of(plaintext)).isEqualTo(document.digest());
    }

    /** Pseudo-random bytes made as they are read, digested on the way; never all in memory. */
    private static final class GeneratedDocument extends InputStream {
        private final Random random = new Random(42);
        private final MessageDigest sha256 = newSha256();
        private final long size;
        private final AtomicLong served = new AtomicLong();

        GeneratedDocument(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("read in blocks");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (served.get() == size) {
                return -1;
            }
            int n = (int) Math.min(len, size - served.get());
            byte[] block = new byte[n];
            random.nextBytes(block);
            sha256.update(block);
            System.arraycopy(block, 0, b, off, n);
            served.addAndGet(n);
            return n;
        }

        long served() {
            return served.get();
        }

        String digest() {
            return Base64.getEncoder().encodeToString(sha256.digest());
        }

        private static MessageDigest newSha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
