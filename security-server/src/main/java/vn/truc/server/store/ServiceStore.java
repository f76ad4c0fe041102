package vn.truc.server.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.ServiceId;

/** The services this security server provides for its subsystems, and where their backends are. */
public final class ServiceStore {
    private static final String SELECT = "SELECT service_id, backend_url, protocol, enabled FROM service";
    private static final int MAX_URL_LENGTH = 2000;

    private final Database db;

    public ServiceStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Adds an enabled service whose backend is the absolute http or https URL {@code backend}. */
    public LocalService addService(ServiceId id, URI backend, Protocol protocol) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(protocol, "protocol");
        URI url = checkBackend(backend);
        return db.inTransaction(() -> {
            if (service(id).isPresent()) {
                throw new TrucException(Origin.SERVER, ErrorCode.ALREADY_EXISTS, "service " + id + " already exists");
            }
            db.update(
                    "INSERT INTO service (service_id, provider_id, backend_url, protocol, enabled, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)",
                    id.toString(),
                    id.provider().toString(),
                    url.toString(),
                    protocol.name(),
                    true,
                    Database.utc(Instant.now()));
            return new LocalService(id, url, protocol, true);
        });
    }

    /** Parses and checks a backend URL given as text, e.g. on the command line. */
    public static URI backendUrl(String text) {
        URI url;
        try {
            url = new URI(Objects.requireNonNull(text, "text"));
        } catch (URISyntaxException e) {
            throw invalidBackend(text);
        }
        return checkBackend(url);
    }

    /** Every service, ordered by id. */
    public List<LocalService> listServices() {
        return db.query(SELECT + " ORDER BY service_id", ServiceStore::service);
    }

    public Optional<LocalService> service(ServiceId id) {
        return db.queryOne(SELECT + " WHERE service_id = ?", ServiceStore::service, id.toString());
    }

    /** The services of one provider subsystem (for {@code listMethods}), ordered by id. */
    public List<LocalService> servicesOf(ClientId provider) {
        return db.query(
                SELECT + " WHERE provider_id = ? ORDER BY service_id", ServiceStore::service, provider.toString());
    }

    /** Stops calling the service's backend; its access rules stay. Disabling twice is no error. */
    public void disableService(ServiceId id) {
        setEnabled(id, false);
    }

    public void enableService(ServiceId id) {
        setEnabled(id, true);
    }

    /** The service, or NOT_FOUND. */
    LocalService requireService(ServiceId id) {
        return service(id).orElseThrow(() -> notFound(id));
    }

    static TrucException notFound(ServiceId id) {
        return new TrucException(
                Origin.SERVER,
                ErrorCode.NOT_FOUND,
                "no service " + id + " on this security server (add it with 'truc server service add')");
    }

    private void setEnabled(ServiceId id, boolean enabled) {
        if (db.update("UPDATE service SET enabled = ? WHERE service_id = ?", enabled, id.toString()) == 0) {
            throw notFound(id);
        }
    }

    static LocalService service(ResultSet row) throws SQLException {
        return new LocalService(
                ServiceId.parse(row.getString("service_id")),
                URI.create(row.getString("backend_url")),
                Protocol.valueOf(row.getString("protocol")),
                row.getBoolean("enabled"));
    }

    private static URI checkBackend(URI backend) {
        String scheme = backend == null ? null : backend.getScheme();
        boolean web = scheme != null
                && (scheme.toLowerCase(Locale.ROOT).equals("http")
                        || scheme.toLowerCase(Locale.ROOT).equals("https"));
        if (!web
                || !backend.isAbsolute()
                || backend.getHost() == null
                || backend.getFragment() != null
                || backend.toString().length() > MAX_URL_LENGTH) {
            throw invalidBackend(String.valueOf(backend));
        }
        return backend;
    }

    private static TrucException invalidBackend(String text) {
        return new TrucException(
                Origin.CLIENT,
                ErrorCode.INVALID_REQUEST,
                "backend URL: '" + text + "' (expected: an absolute http or https URL with a host, without"
                        + " #fragment, at most " + MAX_URL_LENGTH + " characters, e.g. http://127.0.0.1:9000/docs)");
    }
}
