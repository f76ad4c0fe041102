package vn.truc.core.soap;

import java.util.Objects;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;

/**
 * The X-Road message protocol 4.0 headers of a SOAP message: who calls ({@code xrd:client}), what is
 * called ({@code xrd:service}), the message id, the optional user and issue, and the protocol version.
 *
 * @param userId the user whose action caused the request, or {@code null} when the header is absent
 * @param issue the case or document the request belongs to, or {@code null} when the header is absent
 */
public record XRoadHeaders(
        ClientId client, ServiceId service, String id, String userId, String issue, String protocolVersion) {
    public XRoadHeaders {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
    }
}
