package vn.truc.server.documents;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Where packages live on disk: {@code documents/outbox} and {@code documents/inbox} under the
 * server's directory, one file each, named by a random id. A file is flushed to the disk, with its
 * directory entry, before the database row that names it is committed; so a row never names a file
 * a crash lost.
 */
public final class DocumentFiles {
    private final Path outbox;
    private final Path inbox;
    private final Path work;

    public DocumentFiles(Path documentsDir) {
        this.outbox = documentsDir.resolve("outbox");
        this.inbox = documentsDir.resolve("inbox");
        this.work = documentsDir.resolve("work");
    }

    /** A directory for files being made (decrypted, encrypted, decoded); emptied at start. */
    public Path work() throws IOException {
        return Files.createDirectories(work);
    }

    /** Moves {@code file} into the outbox, durably. */
    public Path keepInOutbox(Path file) throws IOException {
        return keep(file, outbox);
    }

    /** Moves {@code file} into the inbox, durably. */
    public Path keepInInbox(Path file) throws IOException {
        return keep(file, inbox);
    }

    /** Empties the work directory: what is there belonged to attempts a stop cut short. */
    public void clearWork() throws IOException {
        if (Files.isDirectory(work)) {
            try (var files = Files.list(work)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static Path keep(Path file, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Path target = dir.resolve(UUID.randomUUID().toString());
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // not every file system can sync a directory; the file itself is synced
        }
        return target;
    }
}
