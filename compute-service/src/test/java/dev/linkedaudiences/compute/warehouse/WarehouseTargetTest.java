package dev.linkedaudiences.compute.warehouse;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration;
import io.agroal.api.security.SimplePassword;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warehouse settings, read through SmallRye's real mapping as the service reads them, give each engine's driver,
 * URL and connection properties; a missing or doubled secret stops the start with the setting's name and without
 * the secret. The pool the gateway builds from them hands out real connections (PostgreSQL, DuckDB).
 */
class WarehouseTargetTest {
    private static final String SECRET = "s3cr3t-value-never-printed";

    @TempDir
    Path dir;

    static WarehouseSettings settings(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(WarehouseSettings.class)
                .withSources(new PropertiesConfigSource(values, "test", 500)).build();
        return config.getConfigMapping(WarehouseSettings.class);
    }

    private static WarehouseTarget target(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return WarehouseTarget.of(settings(values));
    }

    private static String refused(String... keyValues) {
        String message = assertThrows(ConfigurationException.class, () -> target(keyValues)).getMessage();
        assertFalse(message.contains(SECRET), message);
        return message;
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void postgresqlIsTheDefaultWithItsUrlUserAndPassword() {
        WarehouseTarget t = target("warehouse.jdbc-url", "jdbc:postgresql://db:5432/wh", "warehouse.user", "la", "warehouse.password", SECRET);
        assertEquals("postgresql", t.engine());
        assertEquals("org.postgresql.Driver", t.driverClass());
        assertEquals("jdbc:postgresql://db:5432/wh", t.jdbcUrl());
        assertEquals(Map.of("user", "la", "password", SECRET), t.properties());
        assertEquals("SET TIME ZONE 'UTC'", t.initialSql());
        assertFalse(t.fileDatabase());
        assertFalse(t.toString().contains(SECRET) || t.toString().contains("db:5432"), t.toString());
    }

    @Test
    void aPasswordFileIsReadWithoutItsTrailingLineBreak() throws Exception {
        Path password = file("password", SECRET + "\n");
        WarehouseTarget t = target("warehouse.engine", "redshift", "warehouse.jdbc-url", "jdbc:redshift://cluster:5439/dev",
                "warehouse.user", "loader", "warehouse.password-file", password.toString());
        assertEquals("com.amazon.redshift.jdbc42.Driver", t.driverClass());
        assertEquals(Map.of("user", "loader", "password", SECRET), t.properties());
        assertEquals("SET timezone TO 'UTC'", t.initialSql());
    }

    @Test
    void redshiftWithoutPasswordIsRefusedNamingBothWaysToGiveIt() {
        String message = refused("warehouse.engine", "redshift", "warehouse.jdbc-url", "jdbc:redshift://cluster:5439/dev", "warehouse.user", "u");
        assertEquals("warehouse.engine=redshift needs warehouse.password or warehouse.password-file", message);
    }

    @Test
    void aSecretGivenTwoWaysIsRefusedWithoutPrintingIt() throws Exception {
        Path password = file("password", SECRET);
        String message = refused("warehouse.jdbc-url", "jdbc:postgresql://db/wh", "warehouse.user", "la",
                "warehouse.password", SECRET, "warehouse.password-file", password.toString());
        assertEquals("warehouse.password and warehouse.password-file are both set; give the secret one way", message);
        message = refused("warehouse.engine", "databricks", "warehouse.jdbc-url", "jdbc:databricks://h:443;httpPath=/sql/1.0/warehouses/x",
                "warehouse.databricks.token", SECRET, "warehouse.databricks.token-file", password.toString());
        assertTrue(message.startsWith("warehouse.databricks.token and warehouse.databricks.token-file are both set"), message);
    }

    @Test
    void aMissingSecretFileIsRefusedWithTheSettingsName() {
        String message = refused("warehouse.engine", "redshift", "warehouse.jdbc-url", "jdbc:redshift://c:5439/dev", "warehouse.user", "u",
                "warehouse.password-file", dir.resolve("absent").toString());
        assertTrue(message.startsWith("warehouse.password-file: ") && message.endsWith(" is not a readable file"), message);
    }

    @Test
    void snowflakeKeyPairAuthenticationSignsWithThePrivateKeyFile() throws Exception {
        Path key = file("rsa_key.p8", "-----BEGIN ENCRYPTED PRIVATE KEY-----\n...\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Path passphrase = file("passphrase", SECRET);
        WarehouseTarget t = target("warehouse.engine", "snowflake",
                "warehouse.jdbc-url", "jdbc:snowflake://myorg-acct.snowflakecomputing.com/?db=ANALYTICS&warehouse=LA_WH&role=LA",
                "warehouse.user", "LA_SERVICE", "warehouse.snowflake.private-key-file", key.toString(),
                "warehouse.snowflake.private-key-passphrase-file", passphrase.toString());
        assertEquals("net.snowflake.client.jdbc.SnowflakeDriver", t.driverClass());
        assertEquals(Map.of("user", "LA_SERVICE", "authenticator", "SNOWFLAKE_JWT", "private_key_file", key.toString(),
                "private_key_pwd", SECRET, "TIMEZONE", "UTC", "JDBC_QUERY_RESULT_FORMAT", "JSON"), t.properties());
        assertNull(t.initialSql(), "the session's time zone is a connection property");
    }

    @Test
    void snowflakeWithAPasswordOrNeither() {
        WarehouseTarget t = target("warehouse.engine", "snowflake", "warehouse.jdbc-url", "jdbc:snowflake://acct.snowflakecomputing.com/",
                "warehouse.user", "LA", "warehouse.password", SECRET);
        assertEquals(SECRET, t.properties().get("password"));
        assertFalse(t.properties().containsKey("authenticator"));
        assertEquals("warehouse.engine=snowflake needs warehouse.snowflake.private-key-file (key-pair authentication)"
                        + " or warehouse.password(-file)",
                refused("warehouse.engine", "snowflake", "warehouse.jdbc-url", "jdbc:snowflake://acct.snowflakecomputing.com/", "warehouse.user", "LA"));
        assertEquals("warehouse.engine=snowflake needs warehouse.user",
                refused("warehouse.engine", "snowflake", "warehouse.jdbc-url", "jdbc:snowflake://acct.snowflakecomputing.com/", "warehouse.password", SECRET));
        assertTrue(refused("warehouse.engine", "snowflake", "warehouse.jdbc-url", "jdbc:snowflake://acct.snowflakecomputing.com/",
                "warehouse.user", "LA", "warehouse.snowflake.private-key-file", dir.resolve("none.p8").toString())
                .startsWith("warehouse.snowflake.private-key-file: "));
    }

    @Test
    void databricksPersonalAccessToken() throws Exception {
        Path token = file("token", SECRET + "\n");
        WarehouseTarget t = target("warehouse.engine", "databricks",
                "warehouse.jdbc-url", "jdbc:databricks://dbc-1.cloud.databricks.com:443/default;transportMode=http;ssl=1;httpPath=/sql/1.0/warehouses/abc",
                "warehouse.databricks.token-file", token.toString());
        assertEquals("com.databricks.client.jdbc.Driver", t.driverClass());
        assertEquals(Map.of("AuthMech", "3", "UID", "token", "PWD", SECRET, "EnableArrow", "0"), t.properties());
        assertEquals("SET TIME ZONE 'UTC'", t.initialSql());
    }

    @Test
    void databricksOAuthMachineToMachine() {
        WarehouseTarget t = target("warehouse.engine", "databricks", "warehouse.jdbc-url", "jdbc:databricks://h:443;httpPath=/sql/1.0/warehouses/abc",
                "warehouse.databricks.oauth-client-id", "0f1e-app-id", "warehouse.databricks.oauth-client-secret", SECRET);
        assertEquals(Map.of("AuthMech", "11", "Auth_Flow", "1", "OAuth2ClientId", "0f1e-app-id", "OAuth2Secret", SECRET, "EnableArrow", "0"),
                t.properties());
        assertEquals("warehouse.databricks.oauth-client-id is set without warehouse.databricks.oauth-client-secret(-file)",
                refused("warehouse.engine", "databricks", "warehouse.jdbc-url", "jdbc:databricks://h:443", "warehouse.databricks.oauth-client-id", "app"));
        assertTrue(refused("warehouse.engine", "databricks", "warehouse.jdbc-url", "jdbc:databricks://h:443",
                "warehouse.databricks.token", SECRET, "warehouse.databricks.oauth-client-id", "app",
                "warehouse.databricks.oauth-client-secret", SECRET).contains("are both set"));
        assertTrue(refused("warehouse.engine", "databricks", "warehouse.jdbc-url", "jdbc:databricks://h:443")
                .startsWith("warehouse.engine=databricks needs warehouse.databricks.token(-file)"));
    }

    @Test
    void aUrlOfAnotherEngineOrNoneIsRefusedWithoutQuotingIt() {
        String message = refused("warehouse.engine", "snowflake", "warehouse.jdbc-url", "jdbc:postgresql://h/db?password=" + SECRET,
                "warehouse.user", "u", "warehouse.password", "p");
        assertEquals("warehouse.jdbc-url does not start with jdbc:snowflake: as warehouse.engine=snowflake needs", message);
        assertEquals("warehouse.engine=redshift needs warehouse.jdbc-url", refused("warehouse.engine", "redshift"));
    }

    @Test
    void anUnknownEngineIsRefused() {
        assertEquals("warehouse.engine 'oracle' is not one of postgresql, redshift, snowflake, databricks, bigquery, duckdb",
                refused("warehouse.engine", "oracle"));
    }

    @Test
    void bigQueryNeedsItsProjectAndAReadableKeyFileIfOneIsNamed() throws Exception {
        assertEquals("warehouse.engine=bigquery needs warehouse.bigquery.project", refused("warehouse.engine", "bigquery"));
        assertTrue(refused("warehouse.engine", "bigquery", "warehouse.bigquery.project", "p",
                "warehouse.bigquery.credentials-file", dir.resolve("none.json").toString())
                .startsWith("warehouse.bigquery.credentials-file: "));
        Path key = Files.writeString(dir.resolve("sa.json"), "{}");
        WarehouseTarget t = target("warehouse.engine", "bigquery", "warehouse.bigquery.project", "analytics-prod",
                "warehouse.bigquery.credentials-file", key.toString(), "warehouse.bigquery.location", "EU");
        assertNull(t.driverClass(), "BigQuery goes through Google's client, not JDBC");
        assertEquals(Map.of("project", "analytics-prod", "credentials-file", key.toString(), "location", "EU"), t.properties());
    }

    @Test
    void duckdbIsAFile() {
        assertEquals("warehouse.engine=duckdb needs warehouse.duckdb.path", refused("warehouse.engine", "duckdb"));
        WarehouseTarget t = target("warehouse.engine", "duckdb", "warehouse.duckdb.path", "/data/warehouse.duckdb");
        assertEquals("jdbc:duckdb:/data/warehouse.duckdb", t.jdbcUrl());
        assertEquals("org.duckdb.DuckDBDriver", t.driverClass());
        assertTrue(t.fileDatabase());
    }

    @Test
    void thePoolPassesTheTargetToTheDriver() throws Exception {
        WarehouseTarget t = target("warehouse.engine", "snowflake", "warehouse.jdbc-url", "jdbc:snowflake://acct.snowflakecomputing.com/",
                "warehouse.user", "LA", "warehouse.password", SECRET);
        AgroalConnectionFactoryConfiguration factory = WarehouseGateway.poolConfiguration(t, 3).get()
                .connectionPoolConfiguration().connectionFactoryConfiguration();
        assertEquals(net.snowflake.client.jdbc.SnowflakeDriver.class, factory.connectionProviderClass());
        assertEquals("jdbc:snowflake://acct.snowflakecomputing.com/", factory.jdbcUrl());
        assertEquals("LA", factory.principal().getName());
        assertEquals(List.of(SECRET), factory.credentials().stream().map(c -> ((SimplePassword) c).getWord()).toList());
        Properties expected = new Properties();
        expected.putAll(t.properties());
        expected.remove("user");
        expected.remove("password");
        assertEquals(expected, factory.jdbcProperties());
    }

    @Test
    void aPooledPostgresqlSessionIsInUtc() throws Exception {
        WarehouseTarget t = target("warehouse.jdbc-url", dev.linkedaudiences.testsupport.LocalPostgres.jdbcUrl("postgres"),
                "warehouse.user", dev.linkedaudiences.testsupport.LocalPostgres.USER, "warehouse.password", dev.linkedaudiences.testsupport.LocalPostgres.PASSWORD);
        try (AgroalDataSource pool = AgroalDataSource.from(WarehouseGateway.poolConfiguration(t, 2));
             Connection c = pool.getConnection(); Statement s = c.createStatement(); var rows = s.executeQuery("SHOW TIME ZONE")) {
            rows.next();
            assertEquals("UTC", rows.getString(1));
        }
    }

    @Test
    void anUnreachableWarehouseLeavesTheServiceNotReadyAndEveryConnectionSaysWhy() throws Exception {
        WarehouseGateway gateway = new WarehouseGateway(settings(Map.of("warehouse.jdbc-url", "jdbc:postgresql://127.0.0.1:1/none",
                "warehouse.user", "la")));
        try {
            SQLException refused = assertThrows(SQLException.class, gateway::session);
            HealthCheckResponse readiness = new WarehouseReadiness(gateway).call();
            assertEquals(HealthCheckResponse.Status.DOWN, readiness.getStatus());
            assertEquals("snapshot schema not created yet: " + refused.getMessage(), readiness.getData().orElseThrow().get("problem"));
            assertEquals("postgresql", readiness.getData().orElseThrow().get("engine"));
        } finally {
            gateway.stop(null);
        }
    }

    /**
     * A DuckDB file is locked by the process holding a connection; within one JVM connections share one instance, so
     * a read-only open (a different configuration) succeeds only once the pool holds none.
     */
    @Test
    void theDuckDbPoolHoldsTheFileOnlyWhileAConnectionIsBorrowed() throws Exception {
        Path file = dir.resolve("wh.duckdb");
        WarehouseTarget t = target("warehouse.engine", "duckdb", "warehouse.duckdb.path", file.toString());
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (AgroalDataSource pool = AgroalDataSource.from(WarehouseGateway.poolConfiguration(t, 2))) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t AS SELECT 1 AS i");
                try (var rows = s.executeQuery("SELECT current_setting('TimeZone')")) {
                    rows.next();
                    assertEquals("UTC", rows.getString(1));
                }
                assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:duckdb:" + file, readOnly).close(),
                        "the file is held while a connection is out");
            }
            // returned to the pool, the connection is closed (by the pool's housekeeping thread, a moment later)
            try (Connection other = await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .until(() -> DriverManager.getConnection("jdbc:duckdb:" + file, readOnly), java.util.Objects::nonNull);
                 Statement s = other.createStatement(); var rows = s.executeQuery("SELECT i FROM t")) {
                rows.next();
                assertEquals(1, rows.getInt(1));
            }
        }
    }
}
