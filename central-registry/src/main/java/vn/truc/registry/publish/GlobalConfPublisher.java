package vn.truc.registry.publish;

import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.globalconf.GlobalConfXml;
import vn.truc.core.xml.SecureXml;
import vn.truc.core.xml.XmlSignatures;
import vn.truc.registry.store.RegistryStore;

/**
 * Signs and holds the current global configuration. A new one (with a new serial) is signed
 * whenever the registry's data changed, and when half of the validity has passed, so that
 * servers polling every minute always hold a copy far from expiry.
 */
public final class GlobalConfPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalConfPublisher.class);

    private final RegistryStore store;
    private final PrivateKey signingKey;
    private final Duration validity;
    private final Clock clock;
    private volatile Published published;

    /** One signed configuration and what it was made from. */
    public record Published(long serial, long dataVersion, Instant generatedAt, Instant expiresAt, byte[] xml) {}

    public GlobalConfPublisher(RegistryStore store, PrivateKey signingKey, Duration validity, Clock clock) {
        this.store = store;
        this.signingKey = signingKey;
        this.validity = validity;
        this.clock = clock;
    }

    /** The configuration to serve now, signing a new one first if it is due. */
    public Published current() {
        refreshIfDue();
        return published;
    }

    /** Signs a new configuration if the data changed or half the validity has passed. */
    public synchronized void refreshIfDue() {
        long dataVersion = store.dataVersion();
        Instant now = clock.instant();
        Published last = published;
        boolean due = last == null
                || last.dataVersion() != dataVersion
                || !now.isBefore(last.generatedAt().plus(validity.dividedBy(2)));
        if (due) {
            published = sign(dataVersion, now);
            LOG.info(
                    "published global configuration serial {} (valid until {})",
                    published.serial(),
                    published.expiresAt());
        }
    }

    private Published sign(long dataVersion, Instant now) {
        long serial = store.nextConfSerial();
        Instant expiresAt = now.plus(validity);
        GlobalConf conf = new GlobalConf(
                store.instance(),
                serial,
                now,
                expiresAt,
                store.members(),
                store.securityServers(),
                store.certificationAuthorities(),
                store.timestampingAuthorities(),
                store.globalGroups());
        Document doc = GlobalConfXml.write(conf);
        XmlSignatures.signEnveloped(doc, signingKey);
        return new Published(serial, dataVersion, now, expiresAt, SecureXml.toBytes(doc));
    }
}
