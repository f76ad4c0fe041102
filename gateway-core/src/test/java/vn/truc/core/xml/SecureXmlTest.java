package vn.truc.core.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;

class SecureXmlTest {
    @Test
    void refusesExternalEntity() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
        assertThatThrownBy(() -> SecureXml.parse(bytes(xxe), "test input"))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining("test input: refused")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.HOSTILE_XML))
                .hasMessageNotContaining("root:");
    }

    @Test
    void refusesBillionLaughs() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            dtd.append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        String bomb = "<?xml version=\"1.0\"?>" + dtd + "]><lolz>&lol9;</lolz>";
        assertThatThrownBy(() -> SecureXml.parse(bytes(bomb), "test input"))
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.HOSTILE_XML));
    }

    @Test
    void refusesExcessiveNesting() {
        String deep = "<a>".repeat(SecureXml.MAX_DEPTH + 10) + "</a>".repeat(SecureXml.MAX_DEPTH + 10);
        assertThatThrownBy(() -> SecureXml.parse(bytes(deep), "test input"))
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.HOSTILE_XML));
    }

    @Test
    void reportsWhereMalformedXmlBreaks() {
        assertThatThrownBy(() -> SecureXml.parse(bytes("<a>\n<b></a>"), "test input"))
                .hasMessageContaining("test input: malformed XML at line 2")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_XML));
    }

    @Test
    void roundTripsANamespacedDocument() {
        byte[] xml = bytes("<x:a xmlns:x=\"urn:t\"><x:b>Nghệ An</x:b></x:a>");
        var doc = SecureXml.parse(xml, "test input");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("urn:t");
        assertThat(new String(SecureXml.toBytes(doc), StandardCharsets.UTF_8)).contains("<x:b>Nghệ An</x:b>");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
