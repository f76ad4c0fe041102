package vn.truc.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The synchronous calls of {@code truc bench}: a 1 KiB REST POST answered with 1 KiB, or a 1 KiB
 * X-Road 4.0 SOAP request answered with a 1 KiB body, sent through Truc (the client agency's
 * client proxy, {@code /r1/...} with {@code X-Road-Client}) or, for the baselines, with the same
 * bytes to the backend's own path at another address (the backend itself, or the nginx relay).
 */
final class BenchCalls {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final byte[] REST_BODY = BenchBackend.jsonOf(BenchBackend.BODY_BYTES);
    private static final AtomicLong IDS = new AtomicLong();

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A REST call through Truc's client proxy at {@code clientProxy}. */
    BenchLoad.Call restThroughTruc(String clientProxy) {
        return rest(URI.create(clientProxy + "/r1/" + BenchFederation.REST_SERVICE + "/1"));
    }

    /** The same REST call to {@code base} (the backend, or the relay in front of it). */
    BenchLoad.Call restDirect(String base) {
        return rest(URI.create(base + BenchBackend.REST_PATH + "/1"));
    }

    /** A SOAP call through Truc's client proxy at {@code clientProxy}. */
    BenchLoad.Call soapThroughTruc(String clientProxy) {
        return soap(URI.create(clientProxy + "/"));
    }

    /** The same SOAP call to {@code base} (the backend, or the relay in front of it). */
    BenchLoad.Call soapDirect(String base) {
        return soap(URI.create(base + BenchBackend.SOAP_PATH));
    }

    private BenchLoad.Call rest(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("X-Road-Client", BenchFederation.CLIENT_SUBSYSTEM)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(REST_BODY))
                .build();
        return () -> {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 || response.body().length != BenchBackend.BODY_BYTES) {
                throw new IllegalStateException("REST answered " + response.statusCode() + " with "
                        + response.body().length + " bytes: " + head(response.body()));
            }
        };
    }

    private BenchLoad.Call soap(URI uri) {
        return () -> {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .header("SOAPAction", "\"\"")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(envelope("bench-" + IDS.incrementAndGet())))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() != 200 || !body.contains("echoResponse")) {
                throw new IllegalStateException(
                        "SOAP answered " + response.statusCode() + ": " + head(response.body()));
            }
        };
    }

    /** An X-Road 4.0 request of exactly {@value BenchBackend#BODY_BYTES} bytes (as long as the id is short). */
    static byte[] envelope(String id) {
        String head = "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " xmlns:xrd=\"http://x-road.eu/xsd/xroad.xsd\" xmlns:id=\"http://x-road.eu/xsd/identifiers\">"
                + "<SOAP-ENV:Header>"
                + "<xrd:client id:objectType=\"SUBSYSTEM\"><id:xRoadInstance>VN</id:xRoadInstance>"
                + "<id:memberClass>GOV</id:memberClass><id:memberCode>" + BenchFederation.CLIENT + "</id:memberCode>"
                + "<id:subsystemCode>DMS</id:subsystemCode></xrd:client>"
                + "<xrd:service id:objectType=\"SERVICE\"><id:xRoadInstance>VN</id:xRoadInstance>"
                + "<id:memberClass>GOV</id:memberClass><id:memberCode>" + BenchFederation.PROVIDER + "</id:memberCode>"
                + "<id:subsystemCode>DMS</id:subsystemCode><id:serviceCode>echoSoap</id:serviceCode>"
                + "<id:serviceVersion>v1</id:serviceVersion></xrd:service>"
                + "<xrd:id>" + id + "</xrd:id><xrd:protocolVersion>4.0</xrd:protocolVersion>"
                + "</SOAP-ENV:Header><SOAP-ENV:Body><bench:echo xmlns:bench=\"urn:truc:bench\">";
        String tail = "</bench:echo></SOAP-ENV:Body></SOAP-ENV:Envelope>";
        int pad = Math.max(0, BenchBackend.BODY_BYTES - head.length() - tail.length());
        return (head + "x".repeat(pad) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private static String head(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
