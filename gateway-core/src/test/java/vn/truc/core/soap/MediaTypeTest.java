package vn.truc.core.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;

class MediaTypeTest {
    @Test
    void readsXRoadMtomContentType() {
        MediaType type = MediaType.parse(
                "Multipart/Related; type=\"application/xop+xml\"; start=\"<rootpart>\";\tstart-info=\"text/xml\";"
                        + " Boundary=\"MIME_boundary\"",
                "Content-Type");
        assertThat(type.is("multipart", "related")).isTrue();
        assertThat(type.parameter("boundary")).isEqualTo("MIME_boundary");
        assertThat(type.parameter("start")).isEqualTo("<rootpart>");
        assertThat(type.parameter("start-info")).isEqualTo("text/xml");
    }

    @Test
    void readsTokensEscapesAndATrailingSemicolon() {
        MediaType type = MediaType.parse("text/xml;charset=UTF-8; name=\"a \\\"b\\\"; c\";", "Content-Type");
        assertThat(type.essence()).isEqualTo("text/xml");
        assertThat(type.parameter("charset")).isEqualTo("UTF-8");
        assertThat(type.parameter("name")).isEqualTo("a \"b\"; c");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text",
                "text/",
                "/xml",
                "text/xml; charset",
                "text/xml; charset=",
                "text/xml; a=1; A=2",
                "text/xml; name=\"open",
                "text/xml charset=UTF-8",
                "text/xml; charset = UTF-8"
            })
    void rejectsMalformedContentType(String value) {
        assertThatThrownBy(() -> MediaType.parse(value, "Content-Type"))
                .hasMessageStartingWith("Content-Type '" + value + "' is malformed")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void rejectsMissingContentType() {
        assertThatThrownBy(() -> MediaType.parse(" ", "Content-Type")).hasMessage("Content-Type is missing");
    }
}
