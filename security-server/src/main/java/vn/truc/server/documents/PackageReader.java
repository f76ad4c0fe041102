package vn.truc.server.documents;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vn.truc.core.document.DocumentManifest.Kind;
import vn.truc.core.edxml.Edxml;
import vn.truc.core.edxml.EdxmlPackage;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.message.BodyDigest;

/**
 * Reads what a DMS sends, in one of three forms, and refuses anything malformed, hostile or
 * inconsistent before it is stored:
 *
 * <ul>
 *   <li>an edXML package ({@code application/xml} or {@code text/xml}), a document or a status;
 *   <li>JSON metadata alone ({@code application/json}): a status, or a document without files;
 *   <li>JSON metadata and files ({@code multipart/form-data}): a part named {@code metadata} and one
 *       part per file, each listed in the metadata's {@code files} with its name and base64 SHA-256;
 *       files stream to disk, so their size is bounded only by {@code limits.max-body-bytes}.
 * </ul>
 */
public final class PackageReader {
    /** The most bytes of metadata JSON read from a package. */
    static final int MAX_METADATA_BYTES = 256 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final int CHUNK = 64 * 1024;
    /** What the multipart decoder may hold while it looks for the end of a part's headers. */
    private static final int MAX_BUFFERED_BYTES = 64 * 1024;

    private final Edxml.Limits edxmlLimits;
    private final Path tempDir;

    public PackageReader(Edxml.Limits edxmlLimits, Path tempDir) {
        this.edxmlLimits = edxmlLimits;
        this.tempDir = tempDir;
    }

    /** Whether {@code contentType} is one of the forms this reader takes. */
    public static String form(String contentType) {
        String type = contentType == null
                ? ""
                : contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        return switch (type) {
            case "application/xml", "text/xml" -> "edxml";
            case "application/json" -> "json";
            case "multipart/form-data" -> "multipart";
            default ->
                throw new TrucException(
                        Origin.CLIENT,
                        ErrorCode.INVALID_REQUEST,
                        "Content-Type: '" + contentType + "' (expected: application/xml for edXML, application/json"
                                + " for metadata alone, multipart/form-data for metadata and files)");
        };
    }

    /** Reads the package in {@code body} (of {@code size} bytes), sent as {@code contentType}. */
    public Submission read(Path body, long size, String contentType) {
        try {
            return switch (form(contentType)) {
                case "edxml" -> edxml(body, size);
                case "json" -> metadata(json(body, size), Map.of());
                default -> multipart(body, contentType);
            };
        } catch (IOException e) {
            throw new TrucException(Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot read the package: " + e, e);
        }
    }

    private Submission edxml(Path body, long size) throws IOException {
        if (size > edxmlLimits.maxBytes()) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.BODY_TOO_LARGE,
                    "edXML: package of " + size + " bytes is too large (limit: " + edxmlLimits.maxBytes()
                            + "; send larger documents as metadata and files, multipart/form-data)");
        }
        EdxmlPackage p = Edxml.read(Files.readAllBytes(body), edxmlLimits);
        if (p.kind() == EdxmlPackage.Kind.STATUS) {
            return new Submission(
                    Kind.STATUS,
                    p.documentId(),
                    BusinessType.NEW,
                    p.statusCode(),
                    List.of(p.responseFor().get(0).organId()),
                    List.of(),
                    p.statusDescription(),
                    p.statusTimestamp(),
                    null,
                    p.from().organId());
        }
        return new Submission(
                Kind.DOCUMENT,
                p.documentId(),
                p.businessType(),
                null,
                p.to().stream().map(EdxmlPackage.Organ::organId).toList(),
                p.replacedDocumentIds(),
                null,
                null,
                null,
                p.from().organId());
    }

    private static JsonNode json(Path body, long size) throws IOException {
        if (size > MAX_METADATA_BYTES) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.BODY_TOO_LARGE,
                    "metadata: " + size + " bytes is too large (limit: " + MAX_METADATA_BYTES + ")");
        }
        return parseJson(Files.readAllBytes(body));
    }

    private static JsonNode parseJson(byte[] bytes) {
        try {
            JsonNode tree = JSON.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw invalid("metadata: not a JSON object");
            }
            return tree;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid("metadata: not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("metadata: not valid JSON: " + e.getMessage());
        }
    }

    /** A file part as received: its name, size and base64 SHA-256. */
    record FilePart(String name, long size, String sha256) {}

    private Submission multipart(Path body, String contentType) throws IOException {
        if (!contentType.toLowerCase(Locale.ROOT).contains("boundary=")) {
            throw invalid("multipart/form-data: the Content-Type has no boundary parameter");
        }
        Files.createDirectories(tempDir);
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        DefaultHttpDataFactory factory = new DefaultHttpDataFactory(CHUNK);
        factory.setBaseDir(tempDir.toString());
        factory.setDeleteOnExit(false);
        HttpPostMultipartRequestDecoder decoder;
        try {
            // the metadata part and one part per file, plus one so that one too many is seen as such
            decoder = new HttpPostMultipartRequestDecoder(
                    factory, head, StandardCharsets.UTF_8, edxmlLimits.maxAttachments() + 2, MAX_BUFFERED_BYTES);
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            throw invalid("multipart/form-data: " + e.getMessage());
        }
        byte[] metadata = null;
        Map<String, FilePart> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(body)) {
            byte[] buffer = new byte[CHUNK];
            boolean last = false;
            while (!last) {
                int n = in.readNBytes(buffer, 0, buffer.length);
                last = n < buffer.length;
                var chunk = Unpooled.copiedBuffer(buffer, 0, n);
                decoder.offer(last ? new DefaultLastHttpContent(chunk) : new DefaultHttpContent(chunk));
                chunk.release();
                while (hasNext(decoder)) {
                    InterfaceHttpData data = decoder.next();
                    try {
                        metadata = take(data, metadata, files);
                    } finally {
                        decoder.removeHttpDataFromClean(data);
                        data.release();
                    }
                }
            }
        } catch (HttpPostRequestDecoder.TooManyFormFieldsException e) {
            throw invalid("multipart/form-data: more than " + edxmlLimits.maxAttachments()
                    + " files (limit: limits.max-parts)");
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException
                | HttpPostRequestDecoder.TooLongFormFieldException e) {
            throw invalid("multipart/form-data: " + e.getMessage());
        } finally {
            decoder.destroy();
        }
        if (files.size() > edxmlLimits.maxAttachments()) {
            throw invalid("multipart/form-data: " + files.size() + " files, more than the limit of "
                    + edxmlLimits.maxAttachments() + " (limits.max-parts)");
        }
        if (metadata == null) {
            throw invalid("multipart/form-data: no part named 'metadata' (expected: the JSON metadata)");
        }
        return metadata(parseJson(metadata), files);
    }

    private static boolean hasNext(HttpPostMultipartRequestDecoder decoder) {
        try {
            return decoder.hasNext();
        } catch (HttpPostRequestDecoder.EndOfDataDecoderException e) {
            return false;
        }
    }

    private static byte[] take(InterfaceHttpData data, byte[] metadata, Map<String, FilePart> files)
            throws IOException {
        if (data instanceof FileUpload file && !"metadata".equals(data.getName())) {
            String name = file.getFilename();
            if (name == null || name.isBlank()) {
                throw invalid("multipart/form-data: part '" + data.getName() + "' has no filename");
            }
            String digest = file.isInMemory()
                    ? BodyDigest.of(file.get())
                    : BodyDigest.of(file.getFile().toPath());
            if (files.put(name, new FilePart(name, file.length(), digest)) != null) {
                throw invalid("multipart/form-data: file '" + name + "' appears twice");
            }
            return metadata;
        }
        if ("metadata".equals(data.getName())) {
            if (metadata != null) {
                throw invalid("multipart/form-data: part 'metadata' appears twice");
            }
            var http = (io.netty.handler.codec.http.multipart.HttpData) data;
            if (http.length() > MAX_METADATA_BYTES) {
                throw new TrucException(
                        Origin.CLIENT,
                        ErrorCode.BODY_TOO_LARGE,
                        "metadata: " + http.length() + " bytes is too large (limit: " + MAX_METADATA_BYTES + ")");
            }
            return http.get();
        }
        if (data instanceof Attribute attribute) {
            throw invalid("multipart/form-data: unexpected field '" + attribute.getName()
                    + "' (expected: 'metadata' and file parts)");
        }
        return metadata;
    }

    /** The metadata's facts, and every listed file present with its digest (and no file unlisted). */
    private static Submission metadata(JsonNode m, Map<String, FilePart> files) {
        for (var names = m.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of(
                            "documentId",
                            "kind",
                            "businessType",
                            "recipients",
                            "subject",
                            "replaces",
                            "files",
                            "statusCode",
                            "description",
                            "staff",
                            "timestamp")
                    .contains(name)) {
                throw invalid("metadata: unknown field '" + name + "'");
            }
        }
        String documentId = required(m, "documentId");
        if (documentId.length() > DocumentChecks.MAX_ID) {
            throw invalid("metadata: documentId is longer than " + DocumentChecks.MAX_ID + " characters");
        }
        Kind kind = enumOf(m, "kind", Kind.class, Kind.DOCUMENT);
        checkFiles(m, files);
        if (kind == Kind.STATUS) {
            String code = required(m, "statusCode");
            try {
                StatusCode.of(code);
            } catch (TrucException e) {
                throw invalid("metadata: " + e.getMessage());
            }
            if (!files.isEmpty() || m.has("recipients")) {
                throw invalid("metadata: a status has no files and no recipients (it goes back to the sender)");
            }
            return new Submission(
                    Kind.STATUS,
                    documentId,
                    BusinessType.NEW,
                    code,
                    List.of(),
                    List.of(),
                    optional(m, "description"),
                    optional(m, "timestamp"),
                    optional(m, "staff"),
                    null);
        }
        if (m.has("statusCode")) {
            throw invalid("metadata: statusCode is for a status (\"kind\": \"status\")");
        }
        BusinessType type = enumOf(m, "businessType", BusinessType.class, BusinessType.NEW);
        List<String> recipients = strings(m, "recipients");
        if (recipients.isEmpty() && type == BusinessType.NEW) {
            throw invalid("metadata: recipients is missing or empty (expected: agency codes or subsystem ids)");
        }
        List<String> replaces = strings(m, "replaces");
        if (type == BusinessType.REPLACE && replaces.isEmpty()) {
            throw invalid("metadata: a replace names the documents it replaces in 'replaces'");
        }
        return new Submission(Kind.DOCUMENT, documentId, type, null, recipients, replaces, null, null, null, null);
    }

    private static void checkFiles(JsonNode m, Map<String, FilePart> files) {
        JsonNode listed = m.path("files");
        if (!listed.isMissingNode() && !listed.isArray()) {
            throw invalid("metadata: files is not a list");
        }
        Map<String, String> expected = new HashMap<>();
        for (JsonNode file : listed) {
            String name = file.path("name").asText(null);
            String sha256 = file.path("sha256").asText(null);
            if (name == null || sha256 == null) {
                throw invalid("metadata: every entry of files needs a name and a sha256 (base64)");
            }
            if (expected.put(name, sha256) != null) {
                throw invalid("metadata: file '" + name + "' is listed twice");
            }
        }
        for (var e : expected.entrySet()) {
            FilePart part = files.get(e.getKey());
            if (part == null) {
                throw invalid("attachment '" + e.getKey() + "' is listed in metadata but missing from the request");
            }
            if (!part.sha256().equals(e.getValue())) {
                throw invalid("attachment '" + e.getKey() + "' has SHA-256 " + part.sha256() + " but metadata says "
                        + e.getValue() + " (changed or corrupted on the way)");
            }
        }
        for (String name : files.keySet()) {
            if (!expected.containsKey(name)) {
                throw invalid("attachment '" + name + "' is not listed in metadata files (expected: name and sha256)");
            }
        }
    }

    private static String required(JsonNode m, String field) {
        String value = optional(m, field);
        if (value == null || value.isBlank()) {
            throw invalid("metadata: " + field + " is missing");
        }
        return value;
    }

    private static String optional(JsonNode m, String field) {
        JsonNode value = m.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("metadata: " + field + " is " + value + " (expected: a string)");
        }
        return value.textValue();
    }

    private static List<String> strings(JsonNode m, String field) {
        JsonNode value = m.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw invalid("metadata: " + field + " is not a list of strings");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw invalid("metadata: " + field + " holds " + item + " (expected: strings)");
            }
            list.add(item.textValue());
        }
        return list;
    }

    private static <E extends Enum<E>> E enumOf(JsonNode m, String field, Class<E> type, E fallback) {
        String value = optional(m, field);
        if (value == null) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw invalid("metadata: " + field + " '" + value + "' is not one of "
                + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }

    private static TrucException invalid(String message) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, message);
    }
}
