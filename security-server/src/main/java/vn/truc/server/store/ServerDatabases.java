package vn.truc.server.store;

import java.nio.file.Path;
import vn.truc.core.db.Database;

/**
 * Where a security server keeps its database. The running server and the {@code truc server}
 * administration commands open the same one through here; {@code AUTO_SERVER} lets them do so at
 * the same time from two processes.
 */
public final class ServerDatabases {
    /** The Flyway schema: migrations live under {@code classpath:db/server}. */
    public static final String SCHEMA = "server";

    public static final String DEFAULT_USER = "sa";
    public static final String DEFAULT_PASSWORD = "";

    private ServerDatabases() {}

    /**
     * The embedded H2 database in {@code <serverDir>/db/server.mv.db}. {@code WRITE_DELAY=0}: H2
     * otherwise writes committed transactions up to half a second later, so a killed process loses
     * what it had already acknowledged (a receipt given, a 202 answered). With it, a commit reaches
     * the operating system before the caller goes on; surviving a power cut as well needs a database
     * that syncs to disk on commit, such as PostgreSQL. The setting also stops H2 from reclaiming the
     * file's dead space by itself; {@link Database} does that instead (see {@code H2Compactor}).
     */
    public static String defaultUrl(Path serverDir) {
        return "jdbc:h2:file:" + serverDir.toAbsolutePath().normalize().resolve("db/server")
                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    /** Opens (and migrates) the default database of the server in {@code serverDir}. */
    public static Database open(Path serverDir) {
        return open(defaultUrl(serverDir), DEFAULT_USER, DEFAULT_PASSWORD);
    }

    /** Opens (and migrates) the server database at {@code jdbcUrl}, e.g. a PostgreSQL one. */
    public static Database open(String jdbcUrl, String user, String password) {
        return Database.open(jdbcUrl, user, password, SCHEMA);
    }
}
