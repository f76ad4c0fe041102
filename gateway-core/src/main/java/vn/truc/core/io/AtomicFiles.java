package vn.truc.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** File writing that never leaves a half-written file behind: write beside, force, rename. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** A new temporary file beside {@code target}, readable and writable by its owner only. */
    public static Path ownerOnlyTempFile(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String prefix = "." + target.getFileName();
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(
                    dir,
                    prefix,
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }

    /** Replaces {@code target} with {@code bytes}; readers see the old file or the new one, never a mix. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** What writes a file's content to the stream it is given (which it must not close). */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} with what {@code writer} writes, forced to disk before it takes the
     * name; readers see the old file or the new one, never a mix, and a failed write leaves nothing.
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path temp = ownerOnlyTempFile(target);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            writer.writeTo(out);
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
