package vn.truc.server.store;

import java.nio.file.Path;
import java.util.Objects;
import vn.truc.core.db.Database;

/**
 * A security server's records in one place: its services, local groups, access rules and message
 * log, all in one database. Closing the store closes the database.
 */
public final class ServerStore implements AutoCloseable {
    private final Database db;
    private final ServiceStore services;
    private final LocalGroupStore localGroups;
    private final AccessRules accessRules;
    private final MessageLog messageLog;

    public ServerStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.services = new ServiceStore(db);
        this.localGroups = new LocalGroupStore(db);
        this.accessRules = new AccessRules(db);
        this.messageLog = new MessageLog(db);
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

    @Override
    public void close() {
        db.close();
    }
}
