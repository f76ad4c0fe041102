package vn.truc.server.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A request as a proxy received it: head, the body spooled to disk, whether it came over TLS, and
 * the TLS peer's certificate chain when the peer presented one (empty otherwise).
 */
record ProxyRequest(
        String method,
        String uri,
        HttpHeaders headers,
        SpooledBody body,
        boolean overTls,
        List<X509Certificate> peerChain) {
    String header(String name) {
        return headers.get(name);
    }

    /** The path without the query. */
    String path() {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    String contentType() {
        return headers.get("Content-Type");
    }
}
