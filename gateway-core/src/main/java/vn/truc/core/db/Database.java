package vn.truc.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * A pooled JDBC database (H2 file or PostgreSQL) migrated to the latest version of a schema, and
 * the few JDBC chores a store needs: queries mapped row by row, updates, transactions.
 */
public final class Database implements AutoCloseable {
    private static final String UNIQUE_VIOLATION = "23505";
    private final HikariDataSource dataSource;
    private final Optional<H2Compactor> compactor;
    /** Per database, not static: each database has its own transaction on a thread. */
    @SuppressWarnings("ThreadLocalUsage")
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

    private Database(HikariDataSource dataSource, Optional<H2Compactor> compactor) {
        this.dataSource = dataSource;
        this.compactor = compactor;
    }

    /**
     * Opens the database at {@code jdbcUrl} and applies the migrations found under {@code
     * classpath:db/<schema>}; {@code schema} also names the pool in logs.
     */
    public static Database open(String jdbcUrl, String user, String password, String schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName(schema + "-db");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.DATABASE_ERROR,
                    "cannot open database " + jdbcUrl + ": " + rootMessage(e),
                    e);
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/" + schema)
                .load()
                .migrate();
        return new Database(dataSource, H2Compactor.startIfH2File(jdbcUrl, dataSource, schema));
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Maps one row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Work done inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement statement = prepare(c, sql, params);
                    ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        });
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public int update(String sql, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement statement = prepare(c, sql, params)) {
                return statement.executeUpdate();
            }
        });
    }

    /** Runs {@code work} in one transaction; nested calls join the outer one. */
    public <T> T inTransaction(Work<T> work) {
        if (transaction.get() != null) {
            return call(work);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            transaction.set(connection);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                transaction.remove();
            }
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    /** Database time values are stored as UTC offsets. */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** The task that keeps an H2 file database from growing without bound, if this is one. */
    Optional<H2Compactor> compactor() {
        return compactor;
    }

    @Override
    public void close() {
        compactor.ifPresent(H2Compactor::close);
        dataSource.close();
    }

    private <T> T call(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    private interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        Connection joined = transaction.get();
        try {
            if (joined != null) {
                return work.run(joined);
            }
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            }
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
        return statement;
    }

    /**
     * Whether {@code e}, or an exception it was caused by or chained to (a batch's {@link
     * SQLException#getNextException}), is a unique key violated: SQLSTATE 23505 in H2 and PostgreSQL
     * alike.
     */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (SQLException x = t instanceof SQLException sql ? sql : null; x != null; x = x.getNextException()) {
                if (UNIQUE_VIOLATION.equals(x.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }

    static TrucException databaseError(SQLException e) {
        return new TrucException(Origin.SERVER, ErrorCode.DATABASE_ERROR, "database error: " + e.getMessage(), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
