package vn.truc.server.proxy;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import vn.truc.core.audit.LoggedContent;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.message.MessageManifest;
import vn.truc.server.audit.ContentLog;
import vn.truc.server.store.LocalService;
import vn.truc.server.store.LogRecord;
import vn.truc.server.store.Protocol;
import vn.truc.server.store.ServerStore;

/** The proxies' view of the server's store: services, access rules and the message log. */
final class StoreAdapters {
    private StoreAdapters() {}

    static Services services(ServerStore store) {
        return new Services() {
            @Override
            public Optional<Local> find(ServiceId service) {
                return store.services().service(service).map(StoreAdapters::local);
            }

            @Override
            public boolean isAllowed(ClientId client, ServiceId service, GlobalConf conf) {
                return store.accessRules().isAllowed(client, service, conf);
            }

            @Override
            public List<ServiceId> servicesOf(ClientId provider) {
                return store.services().servicesOf(provider).stream()
                        .map(LocalService::id)
                        .toList();
            }

            @Override
            public List<ServiceId> allowedFor(ClientId client, ClientId provider, GlobalConf conf) {
                return store.accessRules().allowedServices(client, provider, conf).stream()
                        .map(LocalService::id)
                        .toList();
            }
        };
    }

    /**
     * Logs to the store's message log once {@code gate} lets traffic through (see the Timestamper),
     * with the body kept in {@code contents} first when this server's subsystem logs content.
     */
    static ExchangeLog log(ServerStore store, ContentLog contents, Clock clock, Runnable gate) {
        return (incoming, manifest, manifestBytes, signature, signer, peer, body) -> {
            gate.run();
            boolean content = contents.wanted(local(incoming, manifest));
            if (content) {
                contents.keep(LoggedContent.hex(manifest.bodyDigest()), body::open);
            }
            store.messageLog()
                    .append(record(incoming, manifest, manifestBytes, signature, signer, peer, content, clock));
        };
    }

    /** This server's subsystem in the exchange: the client on the client's side, else the provider. */
    private static ClientId local(boolean incoming, MessageManifest m) {
        boolean clientSide = (m.kind() == MessageManifest.Kind.REQUEST) != incoming;
        return clientSide ? m.client() : m.service().provider();
    }

    private static LogRecord record(
            boolean incoming,
            MessageManifest m,
            byte[] manifestBytes,
            byte[] signature,
            X509Certificate signer,
            SecurityServerId peer,
            boolean content,
            Clock clock) {
        return new LogRecord(
                0,
                clock.instant(),
                m.messageId(),
                incoming ? LogRecord.Direction.IN : LogRecord.Direction.OUT,
                m.kind() == MessageManifest.Kind.REQUEST ? LogRecord.Kind.REQUEST : LogRecord.Kind.RESPONSE,
                m.client(),
                m.service(),
                m.bodyDigest(),
                new String(manifestBytes, java.nio.charset.StandardCharsets.UTF_8),
                signature,
                Certificates.sha256Hex(signer),
                peer,
                content);
    }

    private static Services.Local local(LocalService s) {
        return new Services.Local(s.id(), s.backend(), s.protocol() == Protocol.SOAP, s.enabled());
    }
}
