package vn.truc.core.soap;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.xml.XMLConstants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.xml.SecureXml;

/**
 * X-Road message protocol 4.0 on SOAP 1.1: reads and checks the X-Road headers of a message, adds the
 * request hash to a response, and checks that a response echoes its request.
 *
 * <p>Errors are {@link TrucException}s with origin {@code client}: {@code hostile_xml} or {@code invalid_xml}
 * from {@link SecureXml}, {@code invalid_request} for a message that breaks the protocol, {@code
 * invalid_identifier} for a malformed client or service. A caller reading a service's response turns
 * them into its own origin with {@link TrucException#withOrigin}.
 */
public final class XRoadSoap {
    public static final String XROAD_NS = "http://x-road.eu/xsd/xroad.xsd";
    public static final String IDENTIFIERS_NS = "http://x-road.eu/xsd/identifiers";
    public static final String SOAP11_NS = SoapEnvelope.SOAP11_NS;
    public static final String PROTOCOL_VERSION = "4.0";
    /** The {@code algorithmId} of {@code xrd:requestHash}: SHA-512, as X-Road uses by default. */
    public static final String SHA512_ALGORITHM_ID = "http://www.w3.org/2001/04/xmlenc#sha512";

    private static final int SHA512_BYTES = 64;

    private XRoadSoap() {}

    /**
     * Parses a SOAP 1.1 X-Road message: xrd:client, xrd:service, xrd:id and xrd:protocolVersion 4.0 exactly
     * once each, userId and issue at most once, and a Body holding exactly one element.
     */
    public static SoapMessage parse(byte[] envelope) {
        Objects.requireNonNull(envelope, "envelope");
        SoapEnvelope soap = SoapEnvelope.read(SecureXml.parse(envelope, "SOAP message"));
        if (soap.header() == null) {
            throw SoapEnvelope.invalid("SOAP message has no soap:Header: X-Road message protocol 4.0 needs the "
                    + "headers xrd:client, xrd:service, xrd:id and xrd:protocolVersion");
        }
        XRoadHeaders headers = XRoadHeaderReader.read(soap.header());
        List<Element> body = SoapEnvelope.children(soap.body(), "soap:Body");
        if (body.size() != 1) {
            throw SoapEnvelope.invalid(
                    "soap:Body must hold exactly one element (the document/literal wrapper), found " + body.size());
        }
        return new SoapMessage(headers, envelope, false);
    }

    /** The X-Road headers of a message, checked as {@link #parse} does. */
    public static XRoadHeaders headers(byte[] envelope) {
        return parse(envelope).headers();
    }

    /**
     * The request hash X-Road defines: base64 of the SHA-512 of the request SOAP message bytes (the whole
     * body of a plain request, the SOAP part of a multipart one).
     */
    public static String requestHash(byte[] requestEnvelope) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(requestEnvelope);
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 missing from the JDK", e);
        }
    }

    /**
     * The response with one {@code xrd:requestHash} header (SHA-512) carrying {@code requestHashBase64}:
     * any requestHash the service put there is replaced, and a soap:Header is created if there is none.
     * The envelope is re-serialized, so its bytes change.
     */
    public static byte[] withRequestHash(byte[] responseEnvelope, String requestHashBase64) {
        checkHash(requestHashBase64);
        Document document = SecureXml.parse(responseEnvelope, "SOAP response");
        SoapEnvelope soap = SoapEnvelope.read(document);
        Element header = soap.header() != null ? soap.header() : insertHeader(document, soap);
        for (Element e : SoapEnvelope.children(header, "soap:Header")) {
            if (SoapEnvelope.is(e, XROAD_NS, "requestHash")) {
                header.removeChild(e);
            }
        }
        String prefix = header.lookupPrefix(XROAD_NS);
        Element hash = document.createElementNS(XROAD_NS, (prefix == null ? "xrd" : prefix) + ":requestHash");
        if (prefix == null) {
            hash.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:xrd", XROAD_NS);
        }
        hash.setAttribute("algorithmId", SHA512_ALGORITHM_ID);
        hash.setTextContent(requestHashBase64);
        header.appendChild(hash);
        return SecureXml.toBytes(document);
    }

    /**
     * Checks that a service's response echoes the request's xrd:client, xrd:service and xrd:id, as X-Road
     * requires of every service; a mismatch is the service's fault (origin {@code server}).
     */
    public static void checkResponseEchoes(XRoadHeaders request, XRoadHeaders response) {
        echoes("xrd:client", request.client(), response.client());
        echoes("xrd:service", request.service(), response.service());
        echoes("xrd:id", request.id(), response.id());
    }

    private static void echoes(String header, Object sent, Object received) {
        if (!sent.equals(received)) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.INVALID_REQUEST,
                    "response does not echo " + header + ": the request has '" + sent + "', the response '" + received
                            + "'; the service must copy the X-Road headers of the request");
        }
    }

    private static Element insertHeader(Document document, SoapEnvelope soap) {
        String prefix = soap.envelope().getPrefix();
        Element header = document.createElementNS(SOAP11_NS, prefix == null ? "Header" : prefix + ":Header");
        soap.envelope().insertBefore(header, soap.body());
        return header;
    }

    private static void checkHash(String base64) {
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(Objects.requireNonNull(base64, "requestHashBase64"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("request hash is not base64: " + base64, e);
        }
        if (digest.length != SHA512_BYTES) {
            throw new IllegalArgumentException(
                    "request hash has " + digest.length + " bytes, a SHA-512 hash has " + SHA512_BYTES);
        }
    }
}
