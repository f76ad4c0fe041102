package vn.truc.server.proxy;

/** The logic behind a listener: one spooled request in, one response out, on a worker thread. */
@FunctionalInterface
interface ProxyHandler {
    ProxyResponse handle(ProxyRequest request);

    /** The response for a request that failed before the handler saw it (e.g. too large). */
    default ProxyResponse refuse(vn.truc.core.error.TrucException error, io.netty.handler.codec.http.HttpRequest head) {
        return Errors.json(error);
    }
}
