package vn.truc.server.documents;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import vn.truc.core.db.Database;
import vn.truc.server.store.ServerDatabases;

/**
 * Every document store test, on a real PostgreSQL: the V3 migration, the queries, and the
 * de-duplication race (PostgreSQL aborts a transaction on a unique violation). CI starts one with
 * {@code .ci/postgres}; elsewhere the tests run when TRUC_TEST_POSTGRES_URL is set.
 */
class PostgresDocumentStoreIT extends DocumentStoreIT {
    private static final String URL = System.getenv("TRUC_TEST_POSTGRES_URL");
    private static final String USER = System.getenv("TRUC_TEST_POSTGRES_USER");
    private static final String PASSWORD = System.getenv("TRUC_TEST_POSTGRES_PASSWORD");

    @Override
    Database openDatabase() throws Exception {
        assumeTrue(URL != null, "set TRUC_TEST_POSTGRES_URL (CI does, through .ci/postgres)");
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        return ServerDatabases.open(URL, USER, PASSWORD);
    }
}
