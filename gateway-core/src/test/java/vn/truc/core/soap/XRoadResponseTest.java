package vn.truc.core.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.truc.core.soap.XRoadMessages.REQUEST;
import static vn.truc.core.soap.XRoadMessages.RESPONSE;
import static vn.truc.core.soap.XRoadMessages.bytes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.testing.Processes;
import vn.truc.core.xml.SecureXml;

/** What a security server does with a service's response: add the request hash, check the echoed headers. */
class XRoadResponseTest {
    @Test
    void requestHashIsBase64OfSha512() throws Exception {
        assertThat(XRoadSoap.requestHash(bytes("abc")))
                .isEqualTo("3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==");
    }

    @Test
    void requestHashAgreesWithOpenssl(@TempDir Path dir) throws Exception {
        Path request = Files.write(dir.resolve("request.xml"), bytes(REQUEST));
        Processes.Result openssl = Processes.run(List.of("openssl", "dgst", "-sha512", "-r", request.toString()));
        assertThat(openssl.exitCode()).isZero();
        byte[] ours = Base64.getDecoder().decode(XRoadSoap.requestHash(bytes(REQUEST)));
        assertThat(openssl.output()).startsWith(HexFormat.of().formatHex(ours) + " ");
    }

    @Test
    void addsExactlyOneRequestHashAndTheResponseStillParses() {
        String hash = XRoadSoap.requestHash(bytes(REQUEST));
        String stale =
                "<xrd:requestHash algorithmId=\"" + XRoadSoap.SHA512_ALGORITHM_ID + "\">c3RhbGU=</xrd:requestHash>";
        String response = RESPONSE.replace("</SOAP-ENV:Header>", stale + "</SOAP-ENV:Header>");

        byte[] hashed = XRoadSoap.withRequestHash(bytes(response), hash);

        Element requestHash = onlyRequestHash(hashed);
        assertThat(requestHash.getAttribute("algorithmId")).isEqualTo("http://www.w3.org/2001/04/xmlenc#sha512");
        assertThat(requestHash.getTextContent()).isEqualTo(hash);
        assertThat(requestHash.getPrefix()).isEqualTo("xrd");
        assertThat(XRoadSoap.headers(hashed)).isEqualTo(XRoadSoap.headers(bytes(REQUEST)));
        assertThat(new String(hashed, StandardCharsets.UTF_8)).contains("<status>ok</status>");
    }

    @Test
    void createsTheHeaderWhenTheResponseHasNone() {
        String response = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><r/></e:Body>"
                + "</e:Envelope>";
        byte[] hashed = XRoadSoap.withRequestHash(bytes(response), XRoadSoap.requestHash(bytes("x")));

        Element requestHash = onlyRequestHash(hashed);
        Element header = (Element) requestHash.getParentNode();
        assertThat(header.getNamespaceURI()).isEqualTo(SoapEnvelope.SOAP11_NS);
        assertThat(header.getLocalName()).isEqualTo("Header");
        assertThat(header.getNextSibling().getLocalName()).isEqualTo("Body");
    }

    @Test
    void refusesARequestHashThatIsNotSha512() {
        assertThatThrownBy(() -> XRoadSoap.withRequestHash(bytes(RESPONSE), "c3RhbGU="))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsAResponseThatEchoesTheRequest() {
        XRoadHeaders request = XRoadSoap.headers(bytes(REQUEST));
        assertThatCode(() -> XRoadSoap.checkResponseEchoes(request, XRoadSoap.headers(bytes(RESPONSE))))
                .doesNotThrowAnyException();
    }

    @Test
    void blamesTheServiceForAResponseThatDoesNotEcho() {
        XRoadHeaders request = XRoadSoap.headers(bytes(REQUEST));
        XRoadHeaders otherId = XRoadSoap.headers(bytes(RESPONSE.replace("3f0c8a52", "00000000")));
        XRoadHeaders otherClient = XRoadSoap.headers(bytes(RESPONSE.replace("000.00.00.G22", "000.00.00.G23")));

        assertThatThrownBy(() -> XRoadSoap.checkResponseEchoes(request, otherId))
                .hasMessageStartingWith("response does not echo xrd:id")
                .satisfies(e -> assertThat(((TrucException) e).origin()).isEqualTo(Origin.SERVER))
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThatThrownBy(() -> XRoadSoap.checkResponseEchoes(request, otherClient))
                .hasMessageStartingWith("response does not echo xrd:client");
    }

    private static Element onlyRequestHash(byte[] envelope) {
        NodeList hashes = SecureXml.parse(envelope, "test").getElementsByTagNameNS(XRoadSoap.XROAD_NS, "requestHash");
        assertThat(hashes.getLength()).isEqualTo(1);
        return (Element) hashes.item(0);
    }
}
