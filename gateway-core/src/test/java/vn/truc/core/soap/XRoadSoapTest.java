package vn.truc.core.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.truc.core.soap.XRoadMessages.REQUEST;
import static vn.truc.core.soap.XRoadMessages.bytes;
import static vn.truc.core.soap.XRoadMessages.without;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;

class XRoadSoapTest {
    @Test
    void parsesAnXRoadRequest() {
        byte[] bytes = bytes(REQUEST);
        SoapMessage message = XRoadSoap.parse(bytes);
        XRoadHeaders h = message.headers();
        assertThat(h.client()).isEqualTo(ClientId.parse("VN/GOV/000.00.00.G22/DMS"));
        assertThat(h.service()).isEqualTo(ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument/v1"));
        assertThat(h.id()).isEqualTo("3f0c8a52-4e1d-4b7a-9c55-0d8e6f2b7a10");
        assertThat(h.userId()).isEqualTo("VN001089012345");
        assertThat(h.issue()).isEqualTo("123/VPCP-TTĐT");
        assertThat(h.protocolVersion()).isEqualTo("4.0");
        assertThat(message.envelope()).isSameAs(bytes);
        assertThat(message.soap12()).isFalse();
        assertThat(XRoadSoap.headers(bytes)).isEqualTo(h);
    }

    @Test
    void acceptsMemberClientAndServiceWithoutVersion() {
        String request = REQUEST.replace("id:objectType=\"SUBSYSTEM\"", "id:objectType=\"MEMBER\"")
                .replaceFirst("<id:subsystemCode>DMS</id:subsystemCode>", "")
                .replace("<id:serviceVersion>v1</id:serviceVersion>", "");
        XRoadHeaders h = XRoadSoap.headers(bytes(request));
        assertThat(h.client()).isEqualTo(ClientId.parseMember("VN/GOV/000.00.00.G22"));
        assertThat(h.service()).isEqualTo(ServiceId.parse("VN/GOV/000.00.00.H41/DMS/getDocument"));
    }

    @Test
    void leavesUserIdAndIssueNullWhenAbsent() {
        String request = without(without(REQUEST, "userId"), "issue");
        XRoadHeaders h = XRoadSoap.headers(bytes(request));
        assertThat(h.userId()).isNull();
        assertThat(h.issue()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"client", "service", "id", "protocolVersion"})
    void rejectsRequestWithoutRequiredHeader(String header) {
        assertInvalidRequest(without(REQUEST, header), "SOAP header xrd:" + header + " is missing");
    }

    @Test
    void rejectsOtherProtocolVersion() {
        assertInvalidRequest(REQUEST.replace(">4.0<", ">3.1<"), "xrd:protocolVersion is '3.1', expected 4.0");
    }

    @Test
    void rejectsTwoClientHeaders() {
        String client = REQUEST.substring(REQUEST.indexOf("<xrd:client"), REQUEST.indexOf("</xrd:client>") + 13);
        assertInvalidRequest(REQUEST.replace(client, client + client), "SOAP header xrd:client occurs more than once");
    }

    @Test
    void rejectsServiceWhoseObjectTypeIsNotService() {
        assertInvalidRequest(
                REQUEST.replace("id:objectType=\"SERVICE\"", "id:objectType=\"SUBSYSTEM\""),
                "xrd:service objectType must be SERVICE");
    }

    @Test
    void rejectsSubsystemClientWithoutSubsystemCode() {
        assertInvalidRequest(
                REQUEST.replaceFirst("<id:subsystemCode>DMS</id:subsystemCode>", ""),
                "xrd:client has objectType SUBSYSTEM but no id:subsystemCode");
    }

    @Test
    void rejectsIdentifierFieldsOutOfSchemaOrder() {
        String swapped = REQUEST.replaceFirst(
                "<id:xRoadInstance>VN</id:xRoadInstance>\\s*<id:memberClass>GOV</id:memberClass>",
                "<id:memberClass>GOV</id:memberClass><id:xRoadInstance>VN</id:xRoadInstance>");
        assertInvalidRequest(swapped, "xrd:client: id:xRoadInstance is repeated or out of order");
    }

    @Test
    void namesTheHeaderOfAMalformedIdentifier() {
        assertThatThrownBy(() -> XRoadSoap.parse(bytes(REQUEST.replace("000.00.00.H41", "000.00.00.h41"))))
                .hasMessageStartingWith("xrd:service: member code: '000.00.00.h41'")
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.INVALID_IDENTIFIER));
    }

    @Test
    void rejectsCentralService() {
        String central = "<xrd:centralService id:objectType=\"CENTRALSERVICE\"><id:xRoadInstance>VN"
                + "</id:xRoadInstance><id:serviceCode>x</id:serviceCode></xrd:centralService>";
        assertInvalidRequest(REQUEST.replace("<xrd:id>", central + "<xrd:id>"), "xrd:centralService is not supported");
    }

    @Test
    void rejectsBodyWithoutExactlyOneElement() {
        String body = REQUEST.substring(REQUEST.indexOf("<dms:getDocument>"), REQUEST.indexOf("</SOAP-ENV:Body>"));
        String message = "soap:Body must hold exactly one element (the document/literal wrapper), found ";
        assertInvalidRequest(REQUEST.replace(body, ""), message + 0);
        assertInvalidRequest(REQUEST.replace(body, body + body), message + 2);
    }

    @Test
    void rejectsSoap12AndOtherDocuments() {
        assertInvalidRequest(
                REQUEST.replace(SoapEnvelope.SOAP11_NS, SoapEnvelope.SOAP12_NS), "SOAP 1.2 is not accepted");
        assertInvalidRequest("<Envelope/>", "not a SOAP 1.1 message: the root element is <Envelope> (no namespace)");
        assertInvalidRequest(without(REQUEST, "SOAP-ENV:Header"), "SOAP message has no soap:Header");
    }

    @Test
    void refusesExternalEntity() {
        String xxe = REQUEST.replace(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                        "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>")
                .replace("<xrd:issue>123/VPCP-TTĐT</xrd:issue>", "<xrd:issue>&x;</xrd:issue>");
        assertThatThrownBy(() -> XRoadSoap.parse(bytes(xxe)))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.HOSTILE_XML))
                .hasMessageNotContaining("root:");
    }

    @Test
    void refusesBillionLaughs() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE SOAP-ENV:Envelope [<!ENTITY l0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY l")
                    .append(i)
                    .append(" \"")
                    .append(("&l" + (i - 1) + ";").repeat(10))
                    .append("\">");
        }
        String bomb = REQUEST.replace(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\"?>" + dtd + "]>")
                .replace("<xrd:issue>123/VPCP-TTĐT</xrd:issue>", "<xrd:issue>&l9;</xrd:issue>");
        assertThatThrownBy(() -> XRoadSoap.parse(bytes(bomb)))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.HOSTILE_XML));
    }

    @Test
    void reportsTheLineWhereMalformedXmlBreaks() {
        String broken = REQUEST.replace("</xrd:issue>", "</xrd:isue>");
        assertThatThrownBy(() -> XRoadSoap.parse(bytes(broken)))
                .hasMessageContaining("SOAP message: malformed XML at line 23")
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.INVALID_XML));
    }

    private static void assertInvalidRequest(String envelope, String message) {
        assertThatThrownBy(() -> XRoadSoap.parse(bytes(envelope)))
                .isInstanceOf(TrucException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.INVALID_REQUEST))
                .satisfies(e -> assertThat(((TrucException) e).origin()).isEqualTo(Origin.CLIENT));
    }

    private static ErrorCode code(Throwable e) {
        return ((TrucException) e).code();
    }
}
