package vn.truc.server.proxy;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * A body on its way through the server, hashed as it arrives so that its digest is known when it
 * has been received. A small body stays in memory; once it grows past {@link #IN_MEMORY_BYTES} it
 * goes to a file in the spool directory, so that no large body is held in memory. Over {@code
 * maxBytes}, writing stops with {@link ErrorCode#BODY_TOO_LARGE}.
 */
final class Spool implements AutoCloseable {
    /**
     * The largest body kept in memory. A file costs a create, an open, a delete and their system
     * calls per body, which for a message of a few KiB cost more than the rest of spooling it; at
     * this size a thousand bodies in flight hold 16 MiB.
     */
    static final int IN_MEMORY_BYTES = 16 * 1024;

    private final Path dir;
    private final MessageDigest digest;
    private final long maxBytes;
    private final Origin origin;
    private byte[] memory = new byte[1024];
    private Path file;
    private FileChannel channel;
    private long size;
    private boolean kept;

    private Spool(Path dir, long maxBytes, Origin origin) {
        this.dir = dir;
        this.digest = sha256();
        this.maxBytes = maxBytes;
        this.origin = origin;
    }

    /**
     * A new spool, whose file goes in {@code dir} if the body needs one; {@code origin} is who is
     * blamed when the body is too large.
     */
    static Spool create(Path dir, long maxBytes, Origin origin) {
        return new Spool(dir, maxBytes, origin);
    }

    void write(ByteBuf buf) {
        int length = buf.readableBytes();
        checkLimit(length);
        if (keepsInMemory(length)) {
            buf.getBytes(buf.readerIndex(), memory, (int) size, length);
            digest.update(memory, (int) size, length);
        } else {
            for (ByteBuffer buffer : buf.nioBuffers(buf.readerIndex(), length)) {
                digest.update(buffer.duplicate());
                writeToFile(buffer);
            }
        }
        size += length;
    }

    void write(byte[] bytes, int offset, int length) {
        checkLimit(length);
        digest.update(bytes, offset, length);
        if (keepsInMemory(length)) {
            System.arraycopy(bytes, offset, memory, (int) size, length);
        } else {
            writeToFile(ByteBuffer.wrap(bytes, offset, length));
        }
        size += length;
    }

    /**
     * Copies a stream into the spool (e.g. a response body), chunk by chunk. A chunk is the size of
     * the largest body kept in memory: the JDK's HTTP client hands over its data in 16 KiB buffers
     * anyway, and a 64 KiB chunk per response was ~5 % of what a busy server allocated.
     */
    void copyFrom(InputStream in) throws IOException {
        byte[] chunk = new byte[IN_MEMORY_BYTES];
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
            write(chunk, 0, n);
        }
    }

    /** Ends writing; a body in a file stays on disk until the returned body is closed. */
    SpooledBody finish() {
        String sha256 = Base64.getEncoder().encodeToString(digest.digest());
        kept = true;
        if (channel == null) {
            return new SpooledBody(null, Arrays.copyOf(memory, (int) size), size, sha256);
        }
        try {
            // No fsync: a spool is transient (emptied at start); what must survive a crash is logged.
            channel.close();
        } catch (IOException e) {
            throw ioError(e);
        }
        return SpooledBody.inFile(file, size, sha256);
    }

    /** A spool that was not finished is deleted: nothing half-written is left behind. */
    @Override
    public void close() {
        if (!kept && channel != null) {
            try {
                channel.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // best effort: the spool directory is also emptied at start
            }
        }
    }

    /**
     * Whether {@code length} more bytes still go to memory, with room made for them; false once
     * the body is in a file, moving what memory held there first.
     */
    private boolean keepsInMemory(int length) {
        if (channel != null) {
            return false;
        }
        long total = size + length;
        if (total <= IN_MEMORY_BYTES) {
            if (total > memory.length) {
                memory = Arrays.copyOf(memory, (int) Math.min(IN_MEMORY_BYTES, Math.max(total, 2L * memory.length)));
            }
            return true;
        }
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "body-", ".spool");
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot create spool file in " + dir + ": " + e, e);
        }
        writeToFile(ByteBuffer.wrap(memory, 0, (int) size));
        memory = null;
        return false;
    }

    private void writeToFile(ByteBuffer buffer) {
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw ioError(e);
        }
    }

    private void checkLimit(long bytes) {
        if (size + bytes > maxBytes) {
            throw new TrucException(
                    origin, ErrorCode.BODY_TOO_LARGE, "body larger than the limit of " + maxBytes + " bytes");
        }
    }

    private TrucException ioError(IOException e) {
        return new TrucException(
                Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot write spool file " + file + ": " + e, e);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
