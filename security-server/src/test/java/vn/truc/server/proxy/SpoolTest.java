package vn.truc.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.message.BodyDigest;

/** Small bodies stay in memory, larger ones go to a file; either way the bytes and digest are exact. */
class SpoolTest {
    @TempDir
    Path dir;

    @Test
    void aBodyUpToTheThresholdStaysInMemoryAndMakesNoFile() throws Exception {
        byte[] body = random(Spool.IN_MEMORY_BYTES);

        SpooledBody spooled = spool(body, 1000);

        assertThat(spooled.inMemory()).isTrue();
        assertThat(spooled.readAll()).isEqualTo(body);
        assertThat(spooled.open().readAllBytes()).isEqualTo(body);
        assertThat(spooled.size()).isEqualTo(body.length);
        assertThat(spooled.digest()).isEqualTo(BodyDigest.of(body));
        assertThat(files()).isZero();
    }

    @Test
    void aBodyOneByteOverGoesToAFileWithWhatMemoryHeldFirst() throws Exception {
        byte[] body = random(Spool.IN_MEMORY_BYTES + 1);

        // in chunks, so that the file starts part-way: the bytes held so far must move to it
        SpooledBody spooled = spool(body, 700);

        assertThat(spooled.inMemory()).isFalse();
        assertThat(Files.readAllBytes(spooled.file())).isEqualTo(body);
        assertThat(spooled.digest()).isEqualTo(BodyDigest.of(body));
        assertThat(files()).isOne();
        spooled.close();
        assertThat(files()).isZero();
    }

    @Test
    void aLargeBodyFromNettyBuffersIsExact() throws Exception {
        byte[] body = random(1 << 20);
        try (Spool spool = Spool.create(dir.resolve("spool"), Long.MAX_VALUE, Origin.CLIENT)) {
            for (int at = 0; at < body.length; at += 8192) {
                spool.write(Unpooled.wrappedBuffer(body, at, Math.min(8192, body.length - at)));
            }
            SpooledBody spooled = spool.finish();

            assertThat(spooled.readAll()).isEqualTo(body);
            assertThat(spooled.digest()).isEqualTo(BodyDigest.of(body));
            spooled.close();
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedAndItsFileDeleted() {
        byte[] chunk = random(Spool.IN_MEMORY_BYTES);
        try (Spool spool = Spool.create(dir, 3L * Spool.IN_MEMORY_BYTES, Origin.CLIENT)) {
            spool.write(chunk, 0, chunk.length);
            spool.write(chunk, 0, chunk.length);
            assertThat(files()).isOne();
            spool.write(chunk, 0, chunk.length);

            assertThatThrownBy(() -> spool.write(chunk, 0, 1))
                    .isInstanceOf(TrucException.class)
                    .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.BODY_TOO_LARGE));
        }
        assertThat(files()).isZero();
    }

    private SpooledBody spool(byte[] body, int chunk) {
        try (Spool spool = Spool.create(dir, Long.MAX_VALUE, Origin.CLIENT)) {
            for (int at = 0; at < body.length; at += chunk) {
                spool.write(body, at, Math.min(chunk, body.length - at));
            }
            return spool.finish();
        }
    }

    private long files() {
        try (Stream<Path> all = Files.exists(dir) ? Files.walk(dir) : Stream.empty()) {
            return all.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }
}
