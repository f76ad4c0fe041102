package vn.truc.registry.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * The registry's HTTP routes. Each route is a function from request bytes to a response, so the
 * transport stays out of the registry's logic and tests can call routes directly.
 *
 * <pre>
 * GET  /globalconf             signed global configuration (application/xml)
 * GET  /anchor                 the anchor file a security server is bootstrapped with
 * POST /certificates           CSR in, certificate chain out (embedded CA; usage auth, sign or encrypt)
 * POST /registrations          signed registration request; answers 202 with its id
 * GET  /registrations/{id}     the request's state: PENDING, APPROVED or REJECTED (with reason)
 * POST /ocsp                   OCSP (RFC 6960) for the embedded CA's certificates
 * POST /tsa                    RFC 3161 timestamps
 * GET  /health                 liveness and the current configuration serial
 * </pre>
 */
public record RegistryApi(
        Supplier<byte[]> globalConf,
        Supplier<byte[]> anchor,
        UnaryOperator<byte[]> certificates,
        UnaryOperator<byte[]> registrations,
        java.util.function.LongFunction<byte[]> registrationState,
        UnaryOperator<byte[]> ocsp,
        UnaryOperator<byte[]> tsa,
        Supplier<byte[]> health) {

    HttpResponse handle(String method, String uri, byte[] body) {
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        return switch (method + " " + path) {
            case "GET /globalconf" -> HttpResponse.ok("application/xml", globalConf.get());
            case "GET /anchor" -> HttpResponse.ok("application/xml", anchor.get());
            case "GET /health" -> HttpResponse.ok("application/json", health.get());
            case "POST /certificates" ->
                HttpResponse.ok("application/json", enabled(certificates, "CA").apply(body));
            case "POST /registrations" ->
                new HttpResponse(HttpResponseStatus.ACCEPTED, "application/json", registrations.apply(body));
            case "POST /ocsp" ->
                HttpResponse.ok(
                        "application/ocsp-response",
                        enabled(ocsp, "OCSP responder").apply(body));
            case "POST /tsa" ->
                HttpResponse.ok(
                        "application/timestamp-reply",
                        enabled(tsa, "timestamping authority").apply(body));
            default -> {
                if ("GET".equals(method) && path.startsWith("/registrations/")) {
                    yield HttpResponse.ok("application/json", registrationState.apply(requestId(path)));
                }
                throw new TrucException(Origin.CLIENT, ErrorCode.NOT_FOUND, "no such resource: " + method + " " + path);
            }
        };
    }

    private static <T> T enabled(T service, String name) {
        if (service == null) {
            throw new TrucException(
                    Origin.REGISTRY,
                    ErrorCode.SERVICE_DISABLED,
                    "the embedded " + name + " is switched off in this registry");
        }
        return service;
    }

    private static long requestId(String path) {
        String id = path.substring("/registrations/".length());
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new TrucException(
                    Origin.CLIENT, ErrorCode.INVALID_REQUEST, "registration id '" + id + "' is not a number");
        }
    }
}
