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
import java.util.Base64;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * A body on its way through the server, written to a file as it arrives and hashed on the way, so
 * that no body of any size is held in memory and its digest is known when it has been received.
 * Over {@code maxBytes}, writing stops with {@link ErrorCode#BODY_TOO_LARGE}.
 */
final class Spool implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final MessageDigest digest;
    private final long maxBytes;
    private final Origin origin;
    private long size;
    private boolean kept;

    private Spool(Path file, long maxBytes, Origin origin) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        this.digest = sha256();
        this.maxBytes = maxBytes;
        this.origin = origin;
    }

    /** A new spool file in {@code dir}; {@code origin} is who is blamed when the body is too large. */
    static Spool create(Path dir, long maxBytes, Origin origin) {
        try {
            Files.createDirectories(dir);
            return new Spool(Files.createTempFile(dir, "body-", ".spool"), maxBytes, origin);
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot create spool file in " + dir + ": " + e, e);
        }
    }

    void write(ByteBuf buf) {
        int readable = buf.readableBytes();
        grow(readable);
        try {
            ByteBuffer[] buffers = buf.nioBuffers(buf.readerIndex(), readable);
            for (ByteBuffer buffer : buffers) {
                digest.update(buffer.duplicate());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        } catch (IOException e) {
            throw ioError(e);
        }
    }

    void write(byte[] bytes, int offset, int length) {
        grow(length);
        digest.update(bytes, offset, length);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw ioError(e);
        }
    }

    /** Copies a stream into the spool (e.g. a response body), chunk by chunk. */
    void copyFrom(InputStream in) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
            write(chunk, 0, n);
        }
    }

    /** Ends writing; the body stays on disk until the returned body is deleted. */
    SpooledBody finish() {
        try {
            // No fsync: a spool is transient (emptied at start); what must survive a crash is logged.
            channel.close();
        } catch (IOException e) {
            throw ioError(e);
        }
        kept = true;
        return new SpooledBody(file, size, Base64.getEncoder().encodeToString(digest.digest()));
    }

    /** A spool that was not finished is deleted: nothing half-written is left behind. */
    @Override
    public void close() {
        if (!kept) {
            try {
                channel.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // best effort: the spool directory is also emptied at start
            }
        }
    }

    private void grow(long bytes) {
        size += bytes;
        if (size > maxBytes) {
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

    /** Writes {@code bytes} as a finished spool (small bodies the gateway makes itself). */
    static SpooledBody of(Path dir, byte[] bytes) {
        try (Spool spool = create(dir, Long.MAX_VALUE, Origin.SERVER)) {
            spool.write(bytes, 0, bytes.length);
            return spool.finish();
        }
    }
}
