package dev.linkedaudiences.compute.warehouse;

import com.google.cloud.bigquery.BigQuery;
import dev.linkedaudiences.compute.snapshot.MembershipSnapshots;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.sql.Dialects;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The only code that opens sessions with the customer's warehouse. The engine, its client and its credentials come
 * from {@link WarehouseSettings} at runtime ({@link WarehouseTarget}): a JDBC pool built here with Agroal's API (a
 * Quarkus datasource fixes its engine at build time), or for BigQuery Google's client, which pools its own HTTP
 * connections. The snapshot schema is created once: at start, retried with a growing pause while the warehouse is
 * unreachable (the service starts anyway and reports not ready until then, see {@link WarehouseReadiness}), and
 * again by the first {@link #session()} after it comes back.
 */
@Startup
@ApplicationScoped
// the drivers are loaded by name (WarehouseTarget#driverClass): a native image must know them (docs/warehouses.md)
@RegisterForReflection(classNames = {"org.postgresql.Driver", "com.amazon.redshift.jdbc42.Driver",
        "net.snowflake.client.jdbc.SnowflakeDriver", "com.databricks.client.jdbc.Driver", "org.duckdb.DuckDBDriver"})
public class WarehouseGateway {
    private static final Logger LOG = Logger.getLogger(WarehouseGateway.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(60);

    private final WarehouseTarget target;
    private final Dialect dialect;
    private final String snapshotSchema;
    /** The JDBC engines' pool; null for BigQuery. */
    private final AgroalDataSource pool;
    /** BigQuery's client; null for the JDBC engines. */
    private final BigQuery bigQuery;
    private final ScheduledExecutorService schemaRetries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "warehouse-snapshot-schema");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean schemaReady;
    private volatile String schemaProblem = "not tried yet";

    public WarehouseGateway(WarehouseSettings settings) throws SQLException {
        this.target = WarehouseTarget.of(settings);
        this.dialect = Dialects.of(target.engine());
        this.snapshotSchema = settings.snapshotSchema();
        if (target.driverClass() == null) {
            this.pool = null;
            this.bigQuery = BigQuerySession.client(target.properties().get("project"),
                    Optional.ofNullable(target.properties().get("credentials-file")), Optional.ofNullable(target.properties().get("host")));
            LOG.infof("warehouse: %s, project %s, snapshot dataset %s", target.engine(), target.properties().get("project"), snapshotSchema);
        } else {
            this.pool = AgroalDataSource.from(poolConfiguration(target, settings.maxConnections()));
            this.bigQuery = null;
            LOG.infof("warehouse: %s, snapshot schema %s, at most %d connections", target.engine(), snapshotSchema, settings.maxConnections());
        }
    }

    /**
     * The pool's configuration. Connections are validated when borrowed (one that dropped while idle is replaced
     * instead of failing a run) and closed after 5 idle minutes.
     * <p>
     * DuckDB: a database file is locked by the process that opens it, and within one JVM duckdb_jdbc 2.0 shares one
     * database instance among all connections to the same file (its instance cache: a second connection sees what
     * the first one committed at once), releasing the file lock only when the last of them closes (checked: a
     * second process cannot open the file while either of two connections is open, and can right after both
     * closed). So the pool keeps no idle DuckDB connection: each is closed when returned ({@code flushOnClose};
     * Agroal's housekeeping thread closes it a moment later), and the file is free for a loader process between
     * runs and previews (bin/demo updates it so); a run that starts while a loader holds the file fails with the
     * lock error, and the next one reads the updated file. Opening the file again per borrow costs milliseconds.
     */
    static AgroalDataSourceConfigurationSupplier poolConfiguration(WarehouseTarget target, int maxConnections) {
        Class<?> driver = driverClass(target.driverClass());
        return new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .initialSize(0)
                        .minSize(0)
                        .maxSize(maxConnections)
                        .acquisitionTimeout(Duration.ofSeconds(60))
                        .validateOnBorrow(true)
                        .connectionValidator(ConnectionValidator.defaultValidator())
                        .reapTimeout(Duration.ofMinutes(5))
                        .flushOnClose(target.fileDatabase())
                        .connectionFactoryConfiguration(factory -> {
                            factory.connectionProviderClass(driver).jdbcUrl(target.jdbcUrl()).loginTimeout(Duration.ofSeconds(60));
                            if (target.initialSql() != null) {
                                factory.initialSql(target.initialSql());
                            }
                            // Agroal takes the user and password as principal and credential, and passes them on as such
                            target.properties().forEach((name, value) -> {
                                switch (name) {
                                    case "user" -> factory.principal(new NamePrincipal(value));
                                    case "password" -> factory.credential(new SimplePassword(value));
                                    default -> factory.jdbcProperty(name, value);
                                }
                            });
                            return factory;
                        }));
    }

    private static Class<?> driverClass(String name) {
        try {
            return Class.forName(name, true, Objects.requireNonNullElse(Thread.currentThread().getContextClassLoader(),
                    WarehouseGateway.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the warehouse driver " + name + " is not on the class path", e);
        }
    }

    void start(@Observes StartupEvent event) {
        schemaRetries.execute(() -> createSchemaUntilReady(FIRST_RETRY));
    }

    void stop(@Observes ShutdownEvent event) {
        schemaRetries.shutdownNow();
        if (pool != null) {
            pool.close();
        }
    }

    private void createSchemaUntilReady(Duration pause) {
        try {
            ensureSchema();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("warehouse snapshot schema %s not created yet (%s); trying again in %ds", snapshotSchema, schemaProblem, pause.toSeconds());
            Duration next = pause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause.multipliedBy(2);
            if (!schemaRetries.isShutdown()) {
                schemaRetries.schedule(() -> createSchemaUntilReady(next), pause.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Creates the snapshot schema and tables if that has not succeeded yet; a failure is remembered for readiness. */
    private synchronized void ensureSchema() throws SQLException {
        if (schemaReady) {
            return;
        }
        try (WarehouseSession session = open()) {
            MembershipSnapshots.ensureSchema(session, dialect, snapshotSchema);
            schemaReady = true;
            schemaProblem = null;
            LOG.infof("warehouse snapshot schema %s ready", snapshotSchema);
        } catch (SQLException | RuntimeException e) {
            schemaProblem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw e;
        }
    }

    /**
     * A session with the warehouse, in UTC, the snapshot schema in place; the caller closes it (which returns its
     * connection to the pool). Blocking: call it off the event loop.
     */
    public WarehouseSession session() throws SQLException {
        if (!schemaReady) {
            ensureSchema();
        }
        return open();
    }

    private WarehouseSession open() throws SQLException {
        return pool != null ? new JdbcSession(pool.getConnection())
                : new BigQuerySession(bigQuery, Optional.ofNullable(target.properties().get("location")));
    }

    /** The SQL dialect of the warehouse's engine. */
    public Dialect dialect() {
        return dialect;
    }

    /** The engine, as {@code warehouse.engine} names it. */
    public String engine() {
        return target.engine();
    }

    /** The schema that holds membership snapshots ({@code warehouse.snapshot-schema}). */
    public String snapshotSchema() {
        return snapshotSchema;
    }

    boolean schemaReady() {
        return schemaReady;
    }

    String schemaProblem() {
        return schemaProblem;
    }

    boolean fileDatabase() {
        return target.fileDatabase();
    }

    /** Whether the warehouse answers now (the readiness check of a networked warehouse). */
    boolean answers() {
        if (pool == null) {
            try (WarehouseSession session = open()) {
                return !session.query("SELECT 1", List.of(), row -> row.text(1)).isEmpty();
            } catch (SQLException e) {
                return false;
            }
        }
        try (Connection c = pool.getConnection()) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }
}
