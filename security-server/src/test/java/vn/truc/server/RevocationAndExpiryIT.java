package vn.truc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.truc.core.crypto.KeyStores;

/**
 * A revoked peer is refused at the TLS handshake (the provider asks the CA's OCSP responder), and
 * a server whose global configuration expired refuses traffic with {@code conf_expired}.
 */
class RevocationAndExpiryIT {
    private static final String G22 = "000.00.00.G22";
    private static final String H41 = "000.00.00.H41";

    @TempDir
    Path dir;

    @Test
    void revokedPeerIsRefusedAndExpiredConfigurationStopsTraffic() throws Exception {
        try (Federation federation = new Federation(dir, "globalconf.validity = 10s\n", "", List.of(G22, H41))) {
            var auth = KeyStores.load(federation.serverDir(G22).resolve("keys/auth.p12"), Federation.PIN)
                    .certificate();
            federation.registry.store().revoke(auth.getSerialNumber(), 1);

            HttpResponse<String> revoked = call(federation);

            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(502);
            assertThat(revoked.headers().firstValue("X-Road-Error")).contains("server.clientproxy.network_error");
            assertThat(revoked.body()).contains("TLS");

            federation.registry.close();
            Instant expiry =
                    federation.server(G22).globalConf().current().orElseThrow().expiresAt();
            while (Instant.now().isBefore(expiry.plusMillis(300))) {
                Thread.sleep(200);
            }
            HttpResponse<String> expired = call(federation);

            assertThat(expired.statusCode()).as(expired.body()).isEqualTo(503);
            assertThat(expired.headers().firstValue("X-Road-Error")).contains("server.clientproxy.conf_expired");
        }
    }

    private static HttpResponse<String> call(Federation federation) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + federation.server(G22).clientProxyPort()
                + "/r1/VN/GOV/000.00.00.H41/DMS/documents/1");
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri)
                                .header("X-Road-Client", "VN/GOV/000.00.00.G22/DMS")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
