package vn.truc.registry.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** What a route answers: status, content type, body, and for errors the error type header. */
public record HttpResponse(HttpResponseStatus status, String contentType, byte[] body, String errorType) {
    public static HttpResponse ok(String contentType, byte[] body) {
        return new HttpResponse(HttpResponseStatus.OK, contentType, body, null);
    }

    public HttpResponse(HttpResponseStatus status, String contentType, byte[] body) {
        this(status, contentType, body, null);
    }

    HttpResponse withErrorType(String type) {
        return new HttpResponse(status, contentType, body, type);
    }
}
