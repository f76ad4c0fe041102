package vn.truc.server.proxy;

import java.net.URI;
import java.util.List;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;

/** What the provider side needs of the local service registry and its access rules. */
interface Services {
    /** A service this server provides: where its backend is and whether it is switched on. */
    record Local(ServiceId id, URI backend, boolean soap, boolean enabled) {}

    java.util.Optional<Local> find(ServiceId service);

    boolean isAllowed(ClientId client, ServiceId service, GlobalConf conf);

    List<ServiceId> servicesOf(ClientId provider);

    List<ServiceId> allowedFor(ClientId client, ClientId provider, GlobalConf conf);
}
