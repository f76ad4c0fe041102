package vn.truc.core.soap;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * SOAP with attachments as X-Road message protocol 4.0 uses it: a {@code multipart/related} body whose
 * first part is the SOAP message ({@code text/xml}, or {@code application/xop+xml} for MTOM) and whose
 * other parts are attachments, kept exactly as sent (not decoded).
 *
 * <p>Parsing holds the whole message in memory, bounded by {@code maxParts} times {@code maxPartBytes}:
 * it is meant for service calls, not bulk documents. Too many or too large parts are refused with
 * {@code body_too_large}; anything malformed with {@code invalid_request}. The splitter is Truc's own
 * strict one ({@link MultipartReader} says why).
 */
public final class MultipartSoap {
    /** The Content-ID (without angle brackets) {@link #build} gives the SOAP part. */
    public static final String ROOT_CONTENT_ID = "rootpart";

    private static final Set<String> ENCODINGS = Set.of("7bit", "8bit", "binary", "base64", "quoted-printable");
    private static final Set<String> SOAP_ENCODINGS = Set.of("7bit", "8bit", "binary");

    private MultipartSoap() {}

    /**
     * An attachment as transmitted.
     *
     * @param contentId the Content-ID without angle brackets, or {@code null} when the part has none
     * @param transferEncoding the Content-Transfer-Encoding, lower-case, or {@code null} for binary
     * @param content the bytes as sent, still in {@code transferEncoding}
     */
    @SuppressWarnings("ArrayRecordComponent") // attachments are large: shared, not copied
    public record Attachment(String contentId, String contentType, String transferEncoding, byte[] content) {
        public Attachment {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(content, "content");
        }

        /** A binary attachment. */
        public Attachment(String contentId, String contentType, byte[] content) {
            this(contentId, contentType, null, content);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Attachment a
                    && Objects.equals(contentId, a.contentId)
                    && contentType.equals(a.contentType)
                    && Objects.equals(transferEncoding, a.transferEncoding)
                    && Arrays.equals(content, a.content);
        }

        @Override
        public int hashCode() {
            return Objects.hash(contentId, contentType, transferEncoding, Arrays.hashCode(content));
        }

        @Override
        public String toString() {
            return "Attachment[" + contentId + ", " + contentType + ", " + content.length + " bytes]";
        }
    }

    /**
     * A multipart SOAP message: the SOAP part's exact bytes (what the request hash covers) and type, then the
     * attachments in order.
     */
    @SuppressWarnings("ArrayRecordComponent") // the exact bytes received: shared, not copied
    public record Parts(byte[] soapPart, String soapContentType, List<Attachment> attachments) {
        public Parts {
            Objects.requireNonNull(soapPart, "soapPart");
            Objects.requireNonNull(soapContentType, "soapContentType");
            attachments = List.copyOf(attachments);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Parts p
                    && Arrays.equals(soapPart, p.soapPart)
                    && soapContentType.equals(p.soapContentType)
                    && attachments.equals(p.attachments);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(soapPart), soapContentType, attachments);
        }

        @Override
        public String toString() {
            return "Parts[soap " + soapPart.length + " bytes, " + soapContentType + ", " + attachments + "]";
        }
    }

    /**
     * Splits {@code body}, sent with HTTP Content-Type {@code contentType}. {@code maxParts} counts the SOAP
     * part too; {@code maxPartBytes} limits each part's content.
     */
    public static Parts parse(String contentType, InputStream body, long maxParts, long maxPartBytes) {
        if (maxParts < 1 || maxPartBytes < 0 || maxPartBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("limits: " + maxParts + " parts of " + maxPartBytes + " bytes");
        }
        MediaType type = MediaType.parse(contentType, "Content-Type");
        if (!type.is("multipart", "related")) {
            throw SoapEnvelope.invalid("Content-Type is " + type.essence() + ", expected multipart/related");
        }
        String boundary = type.parameter("boundary");
        if (boundary == null) {
            throw SoapEnvelope.invalid("the multipart/related Content-Type has no boundary parameter");
        }
        if (!MultipartWriter.isBoundary(boundary)) {
            throw SoapEnvelope.invalid("the multipart boundary is not 1-70 characters of RFC 2046 bchars");
        }
        List<MultipartReader.RawPart> raw;
        try {
            raw = new MultipartReader(body, boundary, maxParts, maxPartBytes).read();
        } catch (IOException e) {
            throw new TrucException(
                    Origin.CLIENT, ErrorCode.NETWORK_ERROR, "cannot read the multipart body: " + e.getMessage(), e);
        }
        if (raw.isEmpty()) {
            throw SoapEnvelope.invalid("the multipart body has no parts; the first must be the SOAP message");
        }
        MultipartReader.RawPart root = raw.get(0);
        String soapType = root.headers().get("content-type");
        MediaType soap = MediaType.parse(soapType, "Content-Type of the SOAP part (MIME part 1)");
        if (!soap.is("text", "xml") && !soap.is("application", "xop+xml")) {
            throw SoapEnvelope.invalid("the SOAP part (MIME part 1) is " + soap.essence()
                    + ", expected text/xml (or application/xop+xml for MTOM)");
        }
        String soapEncoding = encoding(root, 1, "8bit");
        if (!SOAP_ENCODINGS.contains(soapEncoding)) {
            throw SoapEnvelope.invalid("the SOAP part (MIME part 1) must be sent 8bit, not " + soapEncoding);
        }
        String start = type.parameter("start");
        String rootId = contentId(root);
        if (start != null && !stripBrackets(start).equals(rootId)) {
            throw SoapEnvelope.invalid("the start parameter names <" + stripBrackets(start)
                    + "> but the first part is <" + rootId + ">: the SOAP part must come first");
        }
        return new Parts(root.content(), soapType, attachments(raw, rootId));
    }

    /** A multipart/related body: the SOAP part (Content-ID {@value #ROOT_CONTENT_ID}), then the attachments. */
    public static byte[] build(String boundary, byte[] soapPart, List<Attachment> attachments) {
        return MultipartWriter.write(boundary, soapPart, attachments);
    }

    /** The HTTP Content-Type of a body made by {@link #build} with {@code boundary}. */
    public static String contentType(String boundary) {
        MultipartWriter.checkBoundary(boundary);
        return "multipart/related; type=\"text/xml\"; start=\"<" + ROOT_CONTENT_ID + ">\"; boundary=\"" + boundary
                + "\"";
    }

    private static List<Attachment> attachments(List<MultipartReader.RawPart> raw, String rootId) {
        List<Attachment> attachments = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        ids.add(rootId);
        for (int i = 1; i < raw.size(); i++) {
            MultipartReader.RawPart part = raw.get(i);
            String id = contentId(part);
            if (id != null && !ids.add(id)) {
                throw SoapEnvelope.invalid("MIME part " + (i + 1) + " repeats Content-ID <" + id + ">");
            }
            String type = part.headers().getOrDefault("content-type", "text/plain");
            MediaType.parse(type, "Content-Type of MIME part " + (i + 1));
            String encoding = encoding(part, i + 1, null);
            attachments.add(new Attachment(id, type, encoding, part.content()));
        }
        return attachments;
    }

    private static String encoding(MultipartReader.RawPart part, int number, String absent) {
        String encoding = part.headers().get("content-transfer-encoding");
        if (encoding == null) {
            return absent;
        }
        encoding = encoding.toLowerCase(Locale.ROOT);
        if (!ENCODINGS.contains(encoding)) {
            throw SoapEnvelope.invalid("MIME part " + number + " has unknown Content-Transfer-Encoding " + encoding);
        }
        return encoding;
    }

    private static String contentId(MultipartReader.RawPart part) {
        String id = part.headers().get("content-id");
        return id == null || id.isEmpty() ? null : stripBrackets(id);
    }

    private static String stripBrackets(String id) {
        return id.length() > 1 && id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1) : id;
    }
}
