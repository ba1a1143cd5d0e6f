package dev.linkedaudiences.compute.bench;

import dev.linkedaudiences.compute.sql.CompiledQuery;
import dev.linkedaudiences.compute.sql.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** PostgreSQL or DuckDB: a query past its timeout is cancelled through JDBC (Statement.cancel), as both drivers support. */
final class JdbcQueryEngine implements QueryEngine {
    private final Connection connection;
    private final Dialect dialect;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "query-timeout");
        t.setDaemon(true);
        return t;
    });

    JdbcQueryEngine(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String describe() throws SQLException {
        return connection.getMetaData().getDatabaseProductName() + " " + connection.getMetaData().getDatabaseProductVersion();
    }

    @Override
    public OptionalLong count(CompiledQuery query, Duration timeout) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM (" + query.sql() + ") m")) {
            for (int i = 0; i < query.parameters().size(); i++) {
                ps.setObject(i + 1, query.parameters().get(i));
            }
            AtomicBoolean timedOut = new AtomicBoolean();
            ScheduledFuture<?> alarm = watchdog.schedule(() -> {
                timedOut.set(true);
                ps.cancel();
                return null;
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return OptionalLong.of(rs.getLong(1));
            } catch (SQLException e) {
                if (timedOut.get()) {
                    return OptionalLong.empty();
                }
                throw e;
            } finally {
                alarm.cancel(false);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        watchdog.shutdownNow();
        connection.close();
    }
}
