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
        // absolute, so the rows name the same files whatever directory the server is started from
        Path dir = documentsDir.toAbsolutePath().normalize();
        this.outbox = dir.resolve("outbox");
        this.inbox = dir.resolve("inbox");
        this.work = dir.resolve("work");
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

    /**
     * Deletes the package files no database row names: a process stopped after it wrote one and
     * before its row was committed, so it was never acknowledged to anyone. Called at start, when
     * no send or delivery of this server is under way.
     *
     * @return how many were deleted
     */
    public int sweep(java.util.Set<Path> referenced) throws IOException {
        int swept = 0;
        for (Path dir : java.util.List.of(outbox, inbox)) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (!referenced.contains(f.toAbsolutePath().normalize())) {
                        Files.deleteIfExists(f);
                        swept++;
                    }
                }
            }
        }
        return swept;
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
