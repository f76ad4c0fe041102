package vn.truc.core.edxml;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The real edXML messages in {@code shared/edxml-samples/}, found by walking up from the working directory. */
final class EdxmlSamples {
    static final Edxml.Limits GENEROUS = new Edxml.Limits(16 * 1024 * 1024, 100, 100);

    private static final Optional<Path> FOLDER = locate();

    private EdxmlSamples() {}

    /** The sample's bytes; skips the test when the samples are not checked out next to the sources. */
    static byte[] bytes(String name) {
        assumeThat(FOLDER)
                .as("shared/edxml-samples above " + Path.of("").toAbsolutePath())
                .isPresent();
        try {
            return Files.readAllBytes(FOLDER.orElseThrow().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Optional<Path> locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (String relative : List.of("shared/edxml-samples", "../shared/edxml-samples")) {
                Path candidate = dir.resolve(relative);
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate.normalize());
                }
            }
        }
        return Optional.empty();
    }
}
