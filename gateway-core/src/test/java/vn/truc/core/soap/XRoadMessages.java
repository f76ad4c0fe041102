package vn.truc.core.soap;

import java.nio.charset.StandardCharsets;

/** X-Road messages for the SOAP tests. */
final class XRoadMessages {
    /** A getDocument call from the Government Office's DMS to Nghệ An province's DMS. */
    static final String REQUEST =
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"
                    xmlns:xrd="http://x-road.eu/xsd/xroad.xsd"
                    xmlns:id="http://x-road.eu/xsd/identifiers"
                    xmlns:dms="http://truc.vn/xsd/dms">
                <SOAP-ENV:Header>
                    <xrd:client id:objectType="SUBSYSTEM">
                        <id:xRoadInstance>VN</id:xRoadInstance>
                        <id:memberClass>GOV</id:memberClass>
                        <id:memberCode>000.00.00.G22</id:memberCode>
                        <id:subsystemCode>DMS</id:subsystemCode>
                    </xrd:client>
                    <xrd:service id:objectType="SERVICE">
                        <id:xRoadInstance>VN</id:xRoadInstance>
                        <id:memberClass>GOV</id:memberClass>
                        <id:memberCode>000.00.00.H41</id:memberCode>
                        <id:subsystemCode>DMS</id:subsystemCode>
                        <id:serviceCode>getDocument</id:serviceCode>
                        <id:serviceVersion>v1</id:serviceVersion>
                    </xrd:service>
                    <xrd:id>3f0c8a52-4e1d-4b7a-9c55-0d8e6f2b7a10</xrd:id>
                    <xrd:userId>VN001089012345</xrd:userId>
                    <xrd:issue>123/VPCP-TTĐT</xrd:issue>
                    <xrd:protocolVersion>4.0</xrd:protocolVersion>
                </SOAP-ENV:Header>
                <SOAP-ENV:Body>
                    <dms:getDocument>
                        <documentId>000.00.00.G22,2024/01/15,123/VPCP-TTĐT</documentId>
                    </dms:getDocument>
                </SOAP-ENV:Body>
            </SOAP-ENV:Envelope>
            """;

    static final String RESPONSE = REQUEST.replaceFirst(
            "(?s)<dms:getDocument>.*</dms:getDocument>",
            "<dms:getDocumentResponse><status>ok</status></dms:getDocumentResponse>");

    /** {@code envelope} without the element {@code xrd:name} (or {@code name} when it has a prefix). */
    static String without(String envelope, String name) {
        String tag = name.contains(":") ? name : "xrd:" + name;
        return envelope.replaceFirst("(?s)<" + tag + "[ >].*?</" + tag + ">", "");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private XRoadMessages() {}
}
