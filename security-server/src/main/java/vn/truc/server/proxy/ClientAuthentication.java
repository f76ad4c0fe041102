package vn.truc.server.proxy;

import vn.truc.core.crypto.Certificates;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.server.store.ClientStore;
import vn.truc.server.store.ConnectionType;

/**
 * Whether a call may claim to come from a client subsystem, by the subsystem's connection type:
 * {@code HTTP} over any listener, {@code HTTPS_NO_AUTH} over TLS, {@code HTTPS} over TLS with a
 * client certificate registered for the subsystem (the leaf's SHA-256, as X-Road pins it).
 */
final class ClientAuthentication {
    private final ClientStore clients;

    ClientAuthentication(ClientStore clients) {
        this.clients = clients;
    }

    /** Refuses with {@code access_denied} a call that does not come the way {@code client} must call. */
    void check(ClientId client, ProxyRequest request) {
        ConnectionType type = clients.connectionType(client);
        boolean allowed =
                switch (type) {
                    case HTTP -> true;
                    case HTTPS_NO_AUTH -> request.overTls();
                    case HTTPS -> request.overTls() && hasRegisteredCertificate(client, request);
                };
        if (!allowed) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.ACCESS_DENIED,
                    "client " + client + " must call over HTTPS"
                            + (type == ConnectionType.HTTPS ? " with its registered certificate" : "")
                            + describe(request));
        }
    }

    private boolean hasRegisteredCertificate(ClientId client, ProxyRequest request) {
        return !request.peerChain().isEmpty()
                && clients.certificateHashes(client)
                        .contains(Certificates.sha256Hex(request.peerChain().get(0)));
    }

    private static String describe(ProxyRequest request) {
        if (!request.overTls()) {
            return " (this call came over plain HTTP)";
        }
        if (request.peerChain().isEmpty()) {
            return " (this call presented no client certificate)";
        }
        return " (this call presented certificate "
                + Certificates.sha256Hex(request.peerChain().get(0)) + ", which is not registered for it)";
    }
}
