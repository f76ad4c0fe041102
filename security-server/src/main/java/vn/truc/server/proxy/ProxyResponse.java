package vn.truc.server.proxy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a proxy answers: status, headers and a body that is either small bytes the gateway made or
 * a spooled body streamed from disk (and deleted once written).
 */
record ProxyResponse(int status, Map<String, String> headers, byte[] bytes, SpooledBody file) {
    static ProxyResponse bytes(int status, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        return new ProxyResponse(status, headers, body, null);
    }

    static ProxyResponse json(int status, String json) {
        return json(status, json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code json} already encoded in UTF-8. */
    static ProxyResponse json(int status, byte[] json) {
        return bytes(status, "application/json; charset=utf-8", json);
    }

    /** A spooled body as the answer: written at once when it is in memory, else streamed from its file. */
    static ProxyResponse file(int status, String contentType, SpooledBody body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return body.inMemory()
                ? new ProxyResponse(status, headers, body.bytes(), null)
                : new ProxyResponse(status, headers, null, body);
    }

    ProxyResponse header(String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
        return this;
    }

    long contentLength() {
        return file != null ? file.size() : bytes.length;
    }
}
