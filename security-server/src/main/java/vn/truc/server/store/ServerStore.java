package vn.truc.server.store;

import java.nio.file.Path;
import java.util.Objects;
import vn.truc.core.db.Database;

/**
 * A security server's records in one place: its services, local groups, access rules, message log
 * and client subsystems' connection types, all in one database. Closing the store closes the database.
 */
public final class ServerStore implements AutoCloseable {
    private final Database db;
    private final ServiceStore services;
    private final LocalGroupStore localGroups;
    private final AccessRules accessRules;
    private final MessageLog messageLog;
    private final ClientStore clients;

    public ServerStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.services = new ServiceStore(db);
        this.localGroups = new LocalGroupStore(db);
        this.accessRules = new AccessRules(db);
        this.messageLog = new MessageLog(db);
        this.clients = new ClientStore(db);
    }

    /** Opens the default database of the server in {@code serverDir} ({@link ServerDatabases#defaultUrl}). */
    public static ServerStore open(Path serverDir) {
        return new ServerStore(ServerDatabases.open(serverDir));
    }

    public Database database() {
        return db;
    }

    public ServiceStore services() {
        return services;
    }

    public LocalGroupStore localGroups() {
        return localGroups;
    }

    public AccessRules accessRules() {
        return accessRules;
    }

    public MessageLog messageLog() {
        return messageLog;
    }

    /** How this server's own client subsystems may call its client proxy. */
    public ClientStore clients() {
        return clients;
    }

    /** The outbox, inbox and status history of the document exchange (stateless: made on each call). */
    public vn.truc.server.documents.DocumentStore documents() {
        return new vn.truc.server.documents.DocumentStore(db);
    }

    @Override
    public void close() {
        db.close();
    }
}
