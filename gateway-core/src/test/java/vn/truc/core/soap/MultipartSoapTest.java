package vn.truc.core.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.truc.core.soap.XRoadMessages.bytes;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;

class MultipartSoapTest {
    private static final String BOUNDARY = "MIME_boundary";
    private static final String CONTENT_TYPE = MultipartSoap.contentType(BOUNDARY);
    private static final long MAX_PARTS = 10;
    private static final long MAX_PART_BYTES = 1 << 20;

    /** X-Road's own example (message protocol 4.0, annex F), with CRLF line breaks as on the wire. */
    private static final String ANNEX_F = crlf(
            """
            --MIME_boundary
            Content-Type: text/xml; charset=UTF-8
            Content-Transfer-Encoding: 8bit
            Content-ID: <rootpart>

            <soap/>
            --MIME_boundary
            Content-Type: application/octet-stream; name=data.bin
            Content-Transfer-Encoding: base64
            Content-ID: <data.bin>
            Content-Disposition: attachment; name="data.bin"; filename="data.bin"

            VGhpcyBpcyBhdHRhY2htZW50Lg0K
            --MIME_boundary--
            """);

    @Test
    void roundTripsSoapPartAndTwoAttachmentsEvenReadOneByteAtATime() {
        byte[] soap = bytes(XRoadMessages.REQUEST);
        List<MultipartSoap.Attachment> attachments = List.of(
                new MultipartSoap.Attachment("cv-123.pdf", "application/pdf", "binary", binary(70_000)),
                new MultipartSoap.Attachment(
                        "phu-luc.xml", "text/xml; charset=UTF-8", "8bit", bytes("<a>Nghệ An</a>")));
        byte[] body = MultipartSoap.build(BOUNDARY, soap, attachments);

        for (InputStream in : List.of(new ByteArrayInputStream(body), oneByteAtATime(body))) {
            MultipartSoap.Parts parts = MultipartSoap.parse(CONTENT_TYPE, in, MAX_PARTS, MAX_PART_BYTES);
            assertThat(parts.soapPart()).isEqualTo(soap);
            assertThat(parts.soapContentType()).isEqualTo("text/xml; charset=UTF-8");
            assertThat(parts.attachments()).isEqualTo(attachments);
        }
        byte[] soapPart = MultipartSoap.parse(CONTENT_TYPE, stream(body), 3, MAX_PART_BYTES)
                .soapPart();
        assertThat(XRoadSoap.headers(soapPart).id()).isEqualTo("3f0c8a52-4e1d-4b7a-9c55-0d8e6f2b7a10");
    }

    @Test
    void readsXRoadsAttachmentExampleWithoutDecodingIt() {
        String contentType = "multipart/related; type=\"text/xml\"; start=\"<rootpart>\"; boundary=\"MIME_boundary\"";
        MultipartSoap.Parts parts = MultipartSoap.parse(contentType, stream(bytes(ANNEX_F)), 2, 100);
        assertThat(parts.soapPart()).isEqualTo(bytes("<soap/>"));
        MultipartSoap.Attachment data = parts.attachments().get(0);
        assertThat(data.contentId()).isEqualTo("data.bin");
        assertThat(data.contentType()).isEqualTo("application/octet-stream; name=data.bin");
        assertThat(data.transferEncoding()).isEqualTo("base64");
        assertThat(data.content()).isEqualTo(bytes("VGhpcyBpcyBhdHRhY2htZW50Lg0K"));
    }

    @Test
    void keepsContentThatOnlyLooksLikeABoundary() {
        byte[] tricky = bytes("\r\n--MIME_bounda\r\r\n--MIME_boundarX--MIME_boundary\r\n-MIME_boundary\r\r\n\r");
        List<MultipartSoap.Attachment> attachments =
                List.of(new MultipartSoap.Attachment(null, "application/octet-stream", "binary", tricky));
        byte[] body = MultipartSoap.build(BOUNDARY, bytes("<soap/>\r"), attachments);
        MultipartSoap.Parts parts = MultipartSoap.parse(CONTENT_TYPE, oneByteAtATime(body), 2, tricky.length);
        assertThat(parts.soapPart()).isEqualTo(bytes("<soap/>\r"));
        assertThat(parts.attachments()).isEqualTo(attachments);
    }

    @Test
    void acceptsPreambleEpilogueAndBoundaryPadding() {
        String body = "preamble\r\n" + ANNEX_F.replace("--MIME_boundary\r\n", "--MIME_boundary \t\r\n") + "epilogue";
        MultipartSoap.Parts parts = MultipartSoap.parse(CONTENT_TYPE, stream(bytes(body)), 2, 100);
        assertThat(parts.attachments()).hasSize(1);
    }

    @Test
    void refusesMorePartsThanTheLimit() {
        assertTooLarge(ANNEX_F, 1, 100, "the multipart body has more than 1 parts");
    }

    @Test
    void refusesAPartLargerThanTheLimitButAcceptsOneExactlyAtIt() {
        int size = "VGhpcyBpcyBhdHRhY2htZW50Lg0K".length();
        MultipartSoap.Parts atTheLimit = MultipartSoap.parse(CONTENT_TYPE, stream(bytes(ANNEX_F)), 2, size);
        assertThat(atTheLimit.attachments()).hasSize(1);
        assertTooLarge(ANNEX_F, 2, size - 1, "MIME part 2 is larger than " + (size - 1) + " bytes");
    }

    @Test
    void refusesEndlessHeadersPreambleAndEpilogue() {
        String header = "X-Filler: " + "x".repeat(MultipartReader.MAX_HEADER_BYTES) + "\r\n";
        assertTooLarge(ANNEX_F.replace("Content-ID: <data.bin>\r\n", header), 2, 100, "headers of MIME part 2");
        assertTooLarge("x".repeat(MultipartReader.MAX_HEADER_BYTES + 1) + "\r\n" + ANNEX_F, 2, 100, "the preamble");
        assertTooLarge(ANNEX_F + "x".repeat(MultipartReader.MAX_HEADER_BYTES + 1), 2, 100, "the epilogue");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "multipart/related",
                "multipart/related; type=\"text/xml\"",
                "multipart/related; boundary=\"\"",
                "multipart/related; boundary=\"ends in space \"",
                "text/xml; boundary=MIME_boundary",
            })
    void refusesContentTypeWithoutAUsableBoundary(String contentType) {
        assertInvalid(contentType, ANNEX_F, "");
    }

    @Test
    void namesTheMissingBoundary() {
        assertInvalid("multipart/related; type=\"text/xml\"", ANNEX_F, "has no boundary parameter");
    }

    @Test
    void refusesBodyCutOffBeforeItsClosingBoundary() {
        assertInvalid(CONTENT_TYPE, ANNEX_F.substring(0, ANNEX_F.indexOf("--MIME_boundary--")), "before its closing");
        assertInvalid(CONTENT_TYPE, ANNEX_F.substring(0, ANNEX_F.indexOf("Content-ID: <data")), "inside the headers");
        assertInvalid(CONTENT_TYPE, "no boundary at all", "before its closing boundary");
    }

    @Test
    void refusesMalformedBoundaryLinesAndHeaders() {
        assertInvalid(CONTENT_TYPE, ANNEX_F.replace("--MIME_boundary--", "--MIME_boundaryX"), "boundary line");
        assertInvalid(CONTENT_TYPE, ANNEX_F.replace("--MIME_boundary--", "--MIME_boundary-"), "a single '-'");
        assertInvalid(CONTENT_TYPE, ANNEX_F.replace("Content-ID: <data.bin>\r\n", "Content-ID: <data.bin>\n"), "0xa");
        assertInvalid(CONTENT_TYPE, ANNEX_F.replace("Content-ID: <data.bin>", "no colon here"), "'Name: value'");
        assertInvalid(CONTENT_TYPE, ANNEX_F.replace("Content-ID: <data.bin>", "Content-ID: <rootpart>"), "repeats");
        assertInvalid(CONTENT_TYPE, ANNEX_F.replace("base64", "x-gzip64"), "Content-Transfer-Encoding x-gzip64");
    }

    @Test
    void refusesASoapPartThatIsNotFirstOrNotXml() {
        assertInvalid(CONTENT_TYPE.replace("rootpart", "data.bin"), ANNEX_F, "the SOAP part must come first");
        assertInvalid(CONTENT_TYPE, ANNEX_F.replace("text/xml; charset=UTF-8", "text/plain"), "expected text/xml");
        assertInvalid(CONTENT_TYPE, ANNEX_F.replaceFirst("8bit", "base64"), "must be sent 8bit, not base64");
        assertInvalid(CONTENT_TYPE, "--MIME_boundary--\r\n", "has no parts");
    }

    @Test
    void buildRefusesContentHoldingTheBoundaryAndHeaderInjection() {
        var holdsBoundary = List.of(new MultipartSoap.Attachment("a", "text/plain", bytes("x\r\n--MIME_boundary")));
        assertThatThrownBy(() -> MultipartSoap.build(BOUNDARY, bytes("<soap/>"), holdsBoundary))
                .isInstanceOf(IllegalArgumentException.class);
        var injects = List.of(new MultipartSoap.Attachment("a", "text/plain\r\nX-Evil: 1", bytes("x")));
        assertThatThrownBy(() -> MultipartSoap.build(BOUNDARY, bytes("<soap/>"), injects))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipartSoap.contentType("bad\"boundary"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertTooLarge(String body, long maxParts, long maxPartBytes, String message) {
        assertThatThrownBy(() -> MultipartSoap.parse(CONTENT_TYPE, stream(bytes(body)), maxParts, maxPartBytes))
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.BODY_TOO_LARGE));
    }

    private static void assertInvalid(String contentType, String body, String message) {
        assertThatThrownBy(() -> MultipartSoap.parse(contentType, stream(bytes(body)), MAX_PARTS, MAX_PART_BYTES))
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    private static String crlf(String text) {
        return text.replace("\n", "\r\n");
    }

    private static byte[] binary(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + (i >> 8));
        }
        return data;
    }

    private static InputStream stream(byte[] body) {
        return new ByteArrayInputStream(body);
    }

    /** Hands out one byte per read, as a slow network would. */
    private static InputStream oneByteAtATime(byte[] body) {
        return new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }
}
