package vn.truc.core.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.truc.core.soap.XRoadMessages.bytes;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.xml.SecureXml;

class SoapFaultsTest {
    @Test
    void faultCarriesXRoadStyleCodeMessageAndFaultId() {
        TrucException e = new TrucException(
                Origin.CLIENT_PROXY,
                ErrorCode.ACCESS_DENIED,
                "VN/GOV/000.00.00.G22/DMS may not call VN/GOV/000.00.00.H41/DMS/getDocument <&> \"Nghệ An\"");

        byte[] fault = SoapFaults.fault(e);

        Document document = SecureXml.parse(fault, "fault");
        Element envelope = document.getDocumentElement();
        assertThat(envelope.getNamespaceURI()).isEqualTo("http://schemas.xmlsoap.org/soap/envelope/");
        assertThat(envelope.getLocalName()).isEqualTo("Envelope");
        Element faultElement = only(document, SoapEnvelope.SOAP11_NS, "Fault");
        assertThat(((Element) faultElement.getParentNode()).getLocalName()).isEqualTo("Body");
        assertThat(only(document, null, "faultcode").getTextContent()).isEqualTo("server.clientproxy.access_denied");
        assertThat(only(document, null, "faultstring").getTextContent()).isEqualTo(e.getMessage());
        Element detail = only(document, null, "faultDetail");
        assertThat(detail.getTextContent()).isEqualTo(e.faultId());
        assertThat(((Element) detail.getParentNode()).getLocalName()).isEqualTo("detail");
        assertThat(SoapFaults.isFault(fault)).isTrue();
    }

    @Test
    void faultStaysWellFormedWhenTheMessageHoldsControlCharacters() {
        TrucException e = new TrucException(Origin.SERVER, ErrorCode.INTERNAL_ERROR, "bad \u0001 byte \uD800");
        Document document = SecureXml.parse(SoapFaults.fault(e), "fault");
        assertThat(only(document, null, "faultstring").getTextContent()).isEqualTo("bad \uFFFD byte \uFFFD");
    }

    @Test
    void ordinaryMessagesAreNotFaults() {
        assertThat(SoapFaults.isFault(bytes(XRoadMessages.REQUEST))).isFalse();
        assertThat(SoapFaults.isFault(bytes("<Fault/>"))).isFalse();
    }

    private static Element only(Document document, String namespace, String localName) {
        NodeList nodes = document.getElementsByTagNameNS(namespace, localName);
        assertThat(nodes.getLength()).as(localName).isEqualTo(1);
        return (Element) nodes.item(0);
    }
}
