package vn.truc.server.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.truc.core.document.DocumentManifest.Kind;
import vn.truc.core.edxml.Edxml;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.message.BodyDigest;

/** The three forms a DMS sends in, read from files as the client proxy spools them. */
class PackageReaderTest {
    private static final Edxml.Limits LIMITS = new Edxml.Limits(16 * 1024 * 1024, 100, 1000);
    private static final String VPCP_7816 = "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT";
    private static final Optional<Path> SAMPLES = locateSamples();

    @TempDir
    Path dir;

    private Path spool() {
        return dir.resolve("spool");
    }

    private PackageReader reader() {
        return new PackageReader(LIMITS, spool());
    }

    @AfterEach
    void leavesNoTemporaryFileBehind() throws IOException {
        if (Files.isDirectory(spool())) {
            try (Stream<Path> left = Files.list(spool())) {
                assertThat(left)
                        .as("files left in the reader's temporary directory")
                        .isEmpty();
            }
        }
    }

    // ---- edXML ----

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "edoc_new.edxml | DOCUMENT | 000.00.11.H53,2020/10/30,2491/STC-BCTC | NEW | | 000.00.01.A53",
                "edoc_update.edxml | DOCUMENT | " + VPCP_7816
                        + " | UPDATE | | 000.00.00.H41 000.00.00.H14 000.00.00.G17",
                "status_inbox_01.edxml | STATUS | " + VPCP_7816 + " | NEW | 01 | 000.00.00.G22",
                "status_processing_05.edxml | STATUS | " + VPCP_7816 + " | NEW | 05 | 000.00.00.G22",
                "status_finish_06.edxml | STATUS | " + VPCP_7816 + " | NEW | 06 | 000.00.00.G22",
            })
    void readsEveryRealSample(
            String file, Kind kind, String documentId, BusinessType type, String statusCode, String recipients)
            throws IOException {
        Path body = sample(file);

        Submission s = reader().read(body, Files.size(body), "application/xml; charset=utf-8");

        assertThat(s.kind()).isEqualTo(kind);
        assertThat(s.documentId()).isEqualTo(documentId);
        assertThat(s.businessType()).isEqualTo(type);
        assertThat(s.statusCode()).isEqualTo(statusCode);
        assertThat(s.recipients())
                .containsExactlyElementsOf(recipients == null ? List.of() : List.of(recipients.split(" ")));
        assertThat(s.relatedDocumentIds()).isEmpty();
        if (kind == Kind.STATUS) {
            assertThat(s.statusTimestamp()).isEqualTo("2015/09/20 11:08:36");
            assertThat(s.statusDescription()).isNotBlank();
        }
    }

    @Test
    void takesTextXmlAsEdxmlToo() throws IOException {
        Path body = sample("status_finish_06.edxml");
        assertThat(reader().read(body, Files.size(body), "text/xml").statusCode())
                .isEqualTo("06");
    }

    @Test
    void refusesEdxmlOverTheConfiguredLimitBeforeReadingIt() throws IOException {
        Path body = sample("edoc_new.edxml");
        long size = Files.size(body);
        PackageReader small = new PackageReader(new Edxml.Limits((int) size - 1, 100, 1000), spool());

        assertRefused(() -> small.read(body, size, "application/xml"), ErrorCode.BODY_TOO_LARGE)
                .hasMessageContaining("package of " + size + " bytes is too large (limit: " + (size - 1))
                .hasMessageContaining("multipart/form-data");
    }

    @Test
    void refusesAnExternalEntity() throws IOException {
        String xml = sampleText("status_inbox_01.edxml")
                .replace("<edXML ", "<!DOCTYPE edXML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><edXML ")
                .replace(">01<", ">&x;<");

        assertRefused(() -> read(xml, "application/xml"), ErrorCode.HOSTILE_XML).hasMessageNotContaining("root:");
    }

    @Test
    void refusesBillionLaughs() throws IOException {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE edXML [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            dtd.append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        String xml = sampleText("status_inbox_01.edxml")
                .replace("<edXML ", dtd + "]><edXML ")
                .replace(">01<", ">&lol9;<");

        assertRefused(() -> read(xml, "application/xml"), ErrorCode.HOSTILE_XML);
    }

    // ---- JSON metadata alone ----

    @Test
    void readsJsonMetadataOfADocumentWithoutFiles() throws IOException {
        Submission s = read(
                "{\"documentId\":\"" + VPCP_7816 + "\",\"kind\":\"document\",\"businessType\":\"replace\","
                        + "\"recipients\":[\"000.00.00.H41\",\"VN/GOV/000.00.00.H29/DMS\"],"
                        + "\"replaces\":[\"000.00.00.G22,2015/09/01,7000/VPCP-TTĐT\"],\"subject\":\"V/v kết nối\"}",
                "application/json");

        assertThat(s.kind()).isEqualTo(Kind.DOCUMENT);
        assertThat(s.documentId()).isEqualTo(VPCP_7816);
        assertThat(s.businessType()).isEqualTo(BusinessType.REPLACE);
        assertThat(s.recipients()).containsExactly("000.00.00.H41", "VN/GOV/000.00.00.H29/DMS");
        assertThat(s.relatedDocumentIds()).containsExactly("000.00.00.G22,2015/09/01,7000/VPCP-TTĐT");
        assertThat(s.statusCode()).isNull();
    }

    @Test
    void readsJsonMetadataOfAStatus() throws IOException {
        Submission s = read(
                "{\"documentId\":\"" + VPCP_7816 + "\",\"kind\":\"status\",\"statusCode\":\"06\","
                        + "\"description\":\"Hoàn thành xử lý\",\"staff\":\"Nguyễn Văn A\","
                        + "\"timestamp\":\"2025/01/02 10:11:12\"}",
                "application/json; charset=utf-8");

        assertThat(s.kind()).isEqualTo(Kind.STATUS);
        assertThat(s.documentId()).isEqualTo(VPCP_7816);
        assertThat(s.statusCode()).isEqualTo("06");
        assertThat(s.statusDescription()).isEqualTo("Hoàn thành xử lý");
        assertThat(s.staff()).isEqualTo("Nguyễn Văn A");
        assertThat(s.statusTimestamp()).isEqualTo("2025/01/02 10:11:12");
        assertThat(s.recipients()).isEmpty();
        assertThat(s.businessType()).isEqualTo(BusinessType.NEW);
    }

    @Test
    void refusesAStatusWithRecipients() {
        assertRefused(
                        () -> read(
                                "{\"documentId\":\"" + VPCP_7816 + "\",\"kind\":\"status\",\"statusCode\":\"06\","
                                        + "\"recipients\":[\"000.00.00.H41\"]}",
                                "application/json"),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("a status has no files and no recipients");
    }

    @Test
    void refusesAStatusCodeOnADocumentAndAnUnknownCode() {
        assertRefused(
                        () -> read(
                                "{\"documentId\":\"D\",\"recipients\":[\"000.00.00.H41\"],\"statusCode\":\"06\"}",
                                "application/json"),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("statusCode is for a status");
        assertRefused(
                        () -> read(
                                "{\"documentId\":\"D\",\"kind\":\"status\",\"statusCode\":\"07\"}", "application/json"),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("status code: 07");
    }

    @Test
    void refusesUnknownOrMissingMetadataFields() {
        assertRefused(
                        () -> read(
                                "{\"documentId\":\"D\",\"recipients\":[\"000.00.00.H41\"],\"priority\":1}",
                                "application/json"),
                        ErrorCode.INVALID_REQUEST)
                .hasMessage("metadata: unknown field 'priority'");
        assertRefused(() -> read("{\"recipients\":[\"000.00.00.H41\"]}", "application/json"), ErrorCode.INVALID_REQUEST)
                .hasMessage("metadata: documentId is missing");
        assertRefused(() -> read("{\"documentId\":\"D\"}", "application/json"), ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("metadata: recipients is missing or empty");
        assertRefused(
                        () -> read(
                                "{\"documentId\":\"D\",\"businessType\":\"replace\",\"recipients\":[\"X\"]}",
                                "application/json"),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("'replaces'");
    }

    @Test
    void refusesMetadataThatIsNotOneJsonObject() {
        assertRefused(() -> read("[1,2]", "application/json"), ErrorCode.INVALID_REQUEST)
                .hasMessage("metadata: not a JSON object");
        assertRefused(
                        () -> read("{\"documentId\":\"D\",\"documentId\":\"E\"}", "application/json"),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("Duplicate field 'documentId'");
        assertRefused(() -> read("{\"documentId\":", "application/json"), ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("metadata: not valid JSON");
    }

    @Test
    void refusesAnUnknownContentType() {
        assertRefused(() -> read("hello", "text/plain"), ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("Content-Type: 'text/plain' (expected: application/xml");
        assertRefused(() -> read("hello", null), ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("Content-Type: 'null'");
    }

    // ---- multipart/form-data ----

    @Test
    void readsMetadataAndTwoFilesWhoseDigestsMatch() throws IOException {
        byte[] pdf = "%PDF-1.7 văn bản\r\n--not-the-boundary\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] zip = new byte[100_000];
        new Random(7).nextBytes(zip);
        Path body = dir.resolve("body");
        try (MultipartBody m = new MultipartBody(body)) {
            m.json(
                            "metadata",
                            metadata(
                                    VPCP_7816, List.of("000.00.00.H41"), file("qd.pdf", pdf), file("phu-luc.zip", zip)))
                    .file("file", "qd.pdf", pdf)
                    .file("file", "phu-luc.zip", zip);
        }

        Submission s = reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE);

        assertThat(s.kind()).isEqualTo(Kind.DOCUMENT);
        assertThat(s.documentId()).isEqualTo(VPCP_7816);
        assertThat(s.recipients()).containsExactly("000.00.00.H41");
    }

    @Test
    void takesMetadataAsAPlainFieldOrAsAFile() throws IOException {
        byte[] pdf = "%PDF".getBytes(StandardCharsets.UTF_8);
        String json = metadata(VPCP_7816, List.of("000.00.00.H41"), file("a.pdf", pdf));
        Path asField = dir.resolve("field");
        try (MultipartBody m = new MultipartBody(asField)) {
            m.field("metadata", json).file("a", "a.pdf", pdf);
        }
        Path asFile = dir.resolve("file");
        try (MultipartBody m = new MultipartBody(asFile)) {
            m.file("metadata", "meta.json", json.getBytes(StandardCharsets.UTF_8))
                    .file("a", "a.pdf", pdf);
        }

        assertThat(reader().read(asField, Files.size(asField), MultipartBody.CONTENT_TYPE)
                        .documentId())
                .isEqualTo(VPCP_7816);
        assertThat(reader().read(asFile, Files.size(asFile), MultipartBody.CONTENT_TYPE)
                        .documentId())
                .isEqualTo(VPCP_7816);
    }

    @Test
    void refusesAListedFileThatIsMissing() throws IOException {
        byte[] pdf = "%PDF".getBytes(StandardCharsets.UTF_8);
        Path body = multipart(
                metadata(VPCP_7816, List.of("000.00.00.H41"), file("a.pdf", pdf), file("b.pdf", pdf)), "a.pdf", pdf);

        assertRefused(
                        () -> reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE),
                        ErrorCode.INVALID_REQUEST)
                .hasMessage("attachment 'b.pdf' is listed in metadata but missing from the request");
    }

    @Test
    void refusesAFileWhoseDigestIsNotTheListedOne() throws IOException {
        byte[] pdf = "%PDF".getBytes(StandardCharsets.UTF_8);
        byte[] changed = "%PDF!".getBytes(StandardCharsets.UTF_8);
        Path body = multipart(metadata(VPCP_7816, List.of("000.00.00.H41"), file("a.pdf", pdf)), "a.pdf", changed);

        assertRefused(
                        () -> reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("attachment 'a.pdf' has SHA-256 " + BodyDigest.of(changed))
                .hasMessageContaining("metadata says " + BodyDigest.of(pdf));
    }

    @Test
    void refusesAFileTheMetadataDoesNotList() throws IOException {
        byte[] pdf = "%PDF".getBytes(StandardCharsets.UTF_8);
        Path body = multipart(metadata(VPCP_7816, List.of("000.00.00.H41")), "extra.pdf", pdf);

        assertRefused(
                        () -> reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("attachment 'extra.pdf' is not listed in metadata files");
    }

    @Test
    void refusesMultipartWithoutMetadata() throws IOException {
        Path body = dir.resolve("body");
        try (MultipartBody m = new MultipartBody(body)) {
            m.file("file", "a.pdf", new byte[] {1, 2, 3});
        }

        assertRefused(
                        () -> reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("no part named 'metadata'");
    }

    @Test
    void refusesMetadataTwice() throws IOException {
        String json = metadata(VPCP_7816, List.of("000.00.00.H41"));
        Path body = dir.resolve("body");
        try (MultipartBody m = new MultipartBody(body)) {
            m.json("metadata", json).json("metadata", json);
        }

        assertRefused(
                        () -> reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE),
                        ErrorCode.INVALID_REQUEST)
                .hasMessage("multipart/form-data: part 'metadata' appears twice");
    }

    @Test
    void refusesAnUnknownMetadataFieldInMultipart() throws IOException {
        Path body = dir.resolve("body");
        try (MultipartBody m = new MultipartBody(body)) {
            m.json("metadata", "{\"documentId\":\"D\",\"recipients\":[\"000.00.00.H41\"],\"sha256\":\"x\"}");
        }

        assertRefused(
                        () -> reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE),
                        ErrorCode.INVALID_REQUEST)
                .hasMessage("metadata: unknown field 'sha256'");
    }

    @Test
    void refusesAFormFieldThatIsNeitherMetadataNorAFile() throws IOException {
        Path body = dir.resolve("body");
        try (MultipartBody m = new MultipartBody(body)) {
            m.json("metadata", metadata(VPCP_7816, List.of("000.00.00.H41"))).field("note", "x");
        }

        assertRefused(
                        () -> reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("unexpected field 'note'");
    }

    @Test
    void refusesMultipartWithoutBoundary() throws IOException {
        assertRefused(() -> read("--x--\r\n", "multipart/form-data"), ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("multipart/form-data: ");
    }

    @Test
    void refusesAStatusWithFiles() throws IOException {
        byte[] pdf = "%PDF".getBytes(StandardCharsets.UTF_8);
        String json = "{\"documentId\":\"" + VPCP_7816 + "\",\"kind\":\"status\",\"statusCode\":\"02\"," + "\"files\":["
                + file("a.pdf", pdf) + "]}";
        Path body = multipart(json, "a.pdf", pdf);

        assertRefused(
                        () -> reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageContaining("a status has no files and no recipients");
    }

    @Test
    void readsA20MibFileStreamedToDiskWithItsDigestRight() throws IOException {
        long size = 20L * 1024 * 1024 + 17; // not a multiple of the reader's chunk
        Path content = dir.resolve("big.bin");
        String digest;
        try (OutputStream out = Files.newOutputStream(content)) {
            BodyDigest d = new BodyDigest(out);
            writeNoise(d, size);
            digest = d.value();
        }
        Path body = dir.resolve("body");
        try (MultipartBody m = new MultipartBody(body)) {
            m.json("metadata", metadata(VPCP_7816, List.of("000.00.00.H41"), fileEntry("big.bin", digest)))
                    .file("file", "big.bin", out -> copy(content, out));
        }
        assertThat(Files.size(body)).isGreaterThan(size);

        Submission s = reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE);

        assertThat(s.documentId()).isEqualTo(VPCP_7816);
        assertThat(digest).isEqualTo(BodyDigest.of(content));
    }

    @Test
    void refusesA20MibFileOneByteChanged() throws IOException {
        long size = 20L * 1024 * 1024;
        Path content = dir.resolve("big.bin");
        String digest;
        try (OutputStream out = Files.newOutputStream(content)) {
            BodyDigest d = new BodyDigest(out);
            writeNoise(d, size);
            digest = d.value();
        }
        Path body = dir.resolve("body");
        try (MultipartBody m = new MultipartBody(body)) {
            m.json("metadata", metadata(VPCP_7816, List.of("000.00.00.H41"), fileEntry("big.bin", digest)))
                    .file("file", "big.bin", out -> {
                        copy(content, out);
                        try {
                            out.write('!');
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }

        assertRefused(
                        () -> reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("attachment 'big.bin' has SHA-256 ");
    }

    @Test
    void refusesTooManyPartsAsARequestError() throws IOException {
        byte[] content = {1};
        String[] listed = new String[200];
        for (int i = 0; i < listed.length; i++) {
            listed[i] = file("f" + i + ".bin", content);
        }
        Path body = dir.resolve("body");
        try (MultipartBody m = new MultipartBody(body)) {
            m.json("metadata", metadata(VPCP_7816, List.of("000.00.00.H41"), listed));
            for (int i = 0; i < listed.length; i++) {
                m.file("file", "f" + i + ".bin", content);
            }
        }

        assertRefused(
                        () -> reader().read(body, Files.size(body), MultipartBody.CONTENT_TYPE),
                        ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("multipart/form-data: ");
    }

    // ---- helpers ----

    private Submission read(String body, String contentType) throws IOException {
        Path file = Files.createTempFile(dir, "body", ".bin");
        Files.writeString(file, body, StandardCharsets.UTF_8);
        return reader().read(file, Files.size(file), contentType);
    }

    private Path multipart(String metadata, String filename, byte[] content) {
        Path body = dir.resolve("body");
        try (MultipartBody m = new MultipartBody(body)) {
            m.json("metadata", metadata).file("file", filename, content);
        }
        return body;
    }

    private static String metadata(String documentId, List<String> recipients, String... files) {
        StringBuilder json =
                new StringBuilder("{\"documentId\":\"").append(documentId).append("\",\"recipients\":[");
        json.append(
                String.join(",", recipients.stream().map(r -> "\"" + r + "\"").toList()));
        json.append("],\"files\":[").append(String.join(",", files)).append("]}");
        return json.toString();
    }

    private static String file(String name, byte[] content) {
        return fileEntry(name, BodyDigest.of(content));
    }

    private static String fileEntry(String name, String sha256) {
        return "{\"name\":\"" + name + "\",\"sha256\":\"" + sha256 + "\"}";
    }

    private static void writeNoise(OutputStream out, long size) throws IOException {
        Random random = new Random(42);
        byte[] block = new byte[64 * 1024];
        for (long left = size; left > 0; left -= block.length) {
            random.nextBytes(block);
            out.write(block, 0, (int) Math.min(block.length, left));
        }
    }

    private static void copy(Path from, OutputStream to) {
        try {
            Files.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AbstractThrowableAssert<?, ?> assertRefused(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        return assertThatThrownBy(call)
                .isInstanceOf(TrucException.class)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(code));
    }

    private Path sample(String name) throws IOException {
        assumeThat(SAMPLES)
                .as("shared/edxml-samples above " + Path.of("").toAbsolutePath())
                .isPresent();
        Path copy = dir.resolve(name);
        Files.copy(SAMPLES.orElseThrow().resolve(name), copy);
        return copy;
    }

    private String sampleText(String name) throws IOException {
        return Files.readString(sample(name), StandardCharsets.UTF_8);
    }

    /** The real samples live in {@code shared/edxml-samples}, next to the checkout, as gateway-core's tests find them. */
    private static Optional<Path> locateSamples() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            for (String relative : List.of("shared/edxml-samples", "../shared/edxml-samples")) {
                Path candidate = d.resolve(relative);
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate.normalize());
                }
            }
        }
        return Optional.empty();
    }
}
