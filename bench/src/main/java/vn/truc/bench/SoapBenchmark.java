package vn.truc.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vn.truc.core.soap.SoapMessage;
import vn.truc.core.soap.XRoadSoap;

/** Parsing and checking a typical X-Road SOAP request of about 1 KiB, as the client proxy does for each call. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SoapBenchmark {
    /** A getDocument call from the Government Office's DMS to Nghệ An province's DMS (1,166 bytes). */
    static final String REQUEST =
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"
             xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers"
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
            <format>application/pdf</format>
            </dms:getDocument>
            </SOAP-ENV:Body>
            </SOAP-ENV:Envelope>
            """;

    private byte[] envelope;

    @Setup
    public void setUp() {
        envelope = REQUEST.getBytes(StandardCharsets.UTF_8);
        XRoadSoap.parse(envelope);
    }

    @Benchmark
    public SoapMessage parseRequest() {
        return XRoadSoap.parse(envelope);
    }
}
