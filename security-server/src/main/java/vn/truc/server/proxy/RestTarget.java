package vn.truc.server.proxy;

import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;

/** {@code /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/path][?query]}: the service and the rest. */
record RestTarget(ServiceId service, String pathAndQuery) {
    static RestTarget parse(String uri) {
        String rest = uri.substring("/r1/".length());
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        String[] parts = path.split("/", 6);
        if (parts.length < 5 || parts[4].isEmpty()) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.INVALID_REQUEST,
                    "REST path '" + uri + "' (expected: /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/path])");
        }
        ServiceId service = new ServiceId(new ClientId(parts[0], parts[1], parts[2], parts[3]), parts[4], null);
        String remainder = parts.length == 6 ? "/" + parts[5] : "";
        if (query >= 0) {
            remainder += rest.substring(query);
        }
        return new RestTarget(service, remainder.isEmpty() ? null : remainder);
    }
}
