package dev.linkedaudiences.compute.warehouse;

import io.quarkus.runtime.configuration.ConfigurationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the gateway's pool connects to, derived from {@link WarehouseSettings} for the chosen engine: the driver, the
 * JDBC URL, the connection properties (credentials included) and the statement that puts each session in UTC
 * (timestamps without a zone are read as UTC, audience-model.md). {@link #of} is where the settings are checked: a
 * problem is a {@link ConfigurationException} naming the setting and never quoting a secret or the URL (a URL may
 * carry a password).
 *
 * @param fileDatabase whether the warehouse is a file the process locks while a connection is open (DuckDB)
 */
public record WarehouseTarget(String engine, String driverClass, String jdbcUrl, Map<String, String> properties,
                              String initialSql, boolean fileDatabase) {

    public static final List<String> ENGINES = List.of("postgresql", "redshift", "snowflake", "databricks", "bigquery", "duckdb");

    public WarehouseTarget {
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /** The target the settings describe, or a {@link ConfigurationException} naming the setting that is wrong. */
    public static WarehouseTarget of(WarehouseSettings settings) {
        String engine = settings.engine().trim();
        Map<String, String> properties = new TreeMap<>();
        switch (engine) {
            case "postgresql" -> {
                String url = url(settings, engine, "jdbc:postgresql:");
                // trust, peer or certificate authentication need no password
                properties.put("user", required(settings.user(), "warehouse.user", engine));
                secret(settings.password(), "warehouse.password", settings.passwordFile(), "warehouse.password-file")
                        .ifPresent(password -> properties.put("password", password));
                return new WarehouseTarget(engine, "org.postgresql.Driver", url, properties,
                        "SET TIME ZONE 'UTC'", false);
            }
            case "redshift" -> {
                String url = url(settings, engine, "jdbc:redshift:");
                properties.put("user", required(settings.user(), "warehouse.user", engine));
                properties.put("password", requiredSecret(settings.password(), "warehouse.password", settings.passwordFile(),
                        "warehouse.password-file", engine));
                return new WarehouseTarget(engine, "com.amazon.redshift.jdbc42.Driver", url, properties, "SET timezone TO 'UTC'", false);
            }
            case "snowflake" -> {
                return snowflake(settings, properties);
            }
            case "databricks" -> {
                return databricks(settings, properties);
            }
            case "duckdb" -> {
                String path = required(settings.duckdb().path(), "warehouse.duckdb.path", engine);
                return new WarehouseTarget(engine, "org.duckdb.DuckDBDriver", "jdbc:duckdb:" + path, properties,
                        "SET TimeZone = 'UTC'", true);
            }
            case "bigquery" -> {
                return bigQuery(settings.bigquery(), properties);
            }
            default -> throw new ConfigurationException("warehouse.engine '" + engine + "' is not one of " + String.join(", ", ENGINES));
        }
    }

    /**
     * BigQuery, through Google's client library rather than JDBC ({@link BigQuerySession}): the project that runs the
     * jobs, a service account's JSON key (else Application Default Credentials, e.g. Workload Identity on GKE), the
     * location of the datasets, and an API root for private endpoints. No driver and no URL; BigQuery's TIMESTAMP is
     * an instant, so there is no session zone to set.
     */
    private static WarehouseTarget bigQuery(WarehouseSettings.BigQuery bigQuery, Map<String, String> properties) {
        String engine = "bigquery";
        properties.put("project", required(bigQuery.project(), "warehouse.bigquery.project", engine));
        bigQuery.credentialsFile().ifPresent(file -> properties.put("credentials-file",
                readableFile(file, "warehouse.bigquery.credentials-file").toString()));
        bigQuery.location().ifPresent(location -> properties.put("location", location));
        bigQuery.host().ifPresent(host -> properties.put("host", host));
        return new WarehouseTarget(engine, null, null, properties, null, false);
    }

    /**
     * Snowflake: key-pair authentication (the JWT the driver signs with the private key) or a password. The session's
     * time zone is set through the TIMEZONE session parameter; results come as JSON, because the driver's Arrow
     * format needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED} on Java 17 and reflection a native image lacks.
     */
    private static WarehouseTarget snowflake(WarehouseSettings settings, Map<String, String> properties) {
        String engine = "snowflake";
        String url = url(settings, engine, "jdbc:snowflake:");
        WarehouseSettings.Snowflake snowflake = settings.snowflake();
        properties.put("user", required(settings.user(), "warehouse.user", engine));
        Optional<String> password = secret(settings.password(), "warehouse.password", settings.passwordFile(), "warehouse.password-file");
        Optional<String> passphrase = secret(snowflake.privateKeyPassphrase(), "warehouse.snowflake.private-key-passphrase",
                snowflake.privateKeyPassphraseFile(), "warehouse.snowflake.private-key-passphrase-file");
        if (snowflake.privateKeyFile().isPresent()) {
            if (password.isPresent()) {
                throw new ConfigurationException("warehouse.snowflake.private-key-file and a warehouse password are both set;"
                        + " Snowflake authenticates with one of them");
            }
            Path key = readableFile(snowflake.privateKeyFile().get(), "warehouse.snowflake.private-key-file");
            properties.put("authenticator", "SNOWFLAKE_JWT");
            properties.put("private_key_file", key.toString());
            // private_key_pwd: the name snowflake-jdbc 3.24 reads (private_key_file_pwd is deprecated there)
            passphrase.ifPresent(p -> properties.put("private_key_pwd", p));
        } else {
            if (passphrase.isPresent()) {
                throw new ConfigurationException("warehouse.snowflake.private-key-passphrase(-file) is set without"
                        + " warehouse.snowflake.private-key-file");
            }
            properties.put("password", password.orElseThrow(() -> new ConfigurationException("warehouse.engine=snowflake needs"
                    + " warehouse.snowflake.private-key-file (key-pair authentication) or warehouse.password(-file)")));
        }
        properties.put("TIMEZONE", "UTC");
        properties.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
        return new WarehouseTarget(engine, "net.snowflake.client.jdbc.SnowflakeDriver", url, properties, null, false);
    }

    /**
     * Databricks (the Simba-based databricks-jdbc 2.7): a personal access token (AuthMech 3, user "token") or OAuth
     * machine-to-machine with a service principal's client id and secret (AuthMech 11, Auth_Flow 1). Arrow results
     * are off for the same reason as Snowflake's.
     */
    private static WarehouseTarget databricks(WarehouseSettings settings, Map<String, String> properties) {
        String engine = "databricks";
        String url = url(settings, engine, "jdbc:databricks:");
        WarehouseSettings.Databricks databricks = settings.databricks();
        Optional<String> token = secret(databricks.token(), "warehouse.databricks.token", databricks.tokenFile(), "warehouse.databricks.token-file");
        Optional<String> clientSecret = secret(databricks.oauthClientSecret(), "warehouse.databricks.oauth-client-secret",
                databricks.oauthClientSecretFile(), "warehouse.databricks.oauth-client-secret-file");
        boolean oauth = databricks.oauthClientId().isPresent() || clientSecret.isPresent();
        if (token.isPresent() && oauth) {
            throw new ConfigurationException("warehouse.databricks.token(-file) and warehouse.databricks.oauth-client-id/-secret"
                    + " are both set; Databricks authenticates with one of them");
        }
        if (token.isPresent()) {
            properties.put("AuthMech", "3");
            properties.put("UID", "token");
            properties.put("PWD", token.get());
        } else if (oauth) {
            properties.put("AuthMech", "11");
            properties.put("Auth_Flow", "1");
            properties.put("OAuth2ClientId", required(databricks.oauthClientId(), "warehouse.databricks.oauth-client-id", engine));
            properties.put("OAuth2Secret", clientSecret.orElseThrow(() -> new ConfigurationException(
                    "warehouse.databricks.oauth-client-id is set without warehouse.databricks.oauth-client-secret(-file)")));
        } else {
            throw new ConfigurationException("warehouse.engine=databricks needs warehouse.databricks.token(-file) (personal access"
                    + " token) or warehouse.databricks.oauth-client-id and oauth-client-secret(-file) (OAuth M2M)");
        }
        properties.put("EnableArrow", "0");
        return new WarehouseTarget(engine, "com.databricks.client.jdbc.Driver", url, properties, "SET TIME ZONE 'UTC'", false);
    }

    private static String url(WarehouseSettings settings, String engine, String prefix) {
        String url = required(settings.jdbcUrl(), "warehouse.jdbc-url", engine);
        if (!url.startsWith(prefix)) {
            throw new ConfigurationException("warehouse.jdbc-url does not start with " + prefix + " as warehouse.engine=" + engine + " needs");
        }
        return url;
    }

    private static String required(Optional<String> value, String name, String engine) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> new ConfigurationException(
                "warehouse.engine=" + engine + " needs " + name));
    }

    private static String requiredSecret(Optional<String> value, String valueName, Optional<String> file, String fileName, String engine) {
        return secret(value, valueName, file, fileName).orElseThrow(() -> new ConfigurationException(
                "warehouse.engine=" + engine + " needs " + valueName + " or " + fileName));
    }

    /**
     * A secret given as a value or as a file (a mounted Kubernetes Secret, read once here; one trailing line break is
     * not part of it); both at once is refused, since which one wins would be a guess.
     */
    static Optional<String> secret(Optional<String> value, String valueName, Optional<String> file, String fileName) {
        if (value.isPresent() && file.isPresent()) {
            throw new ConfigurationException(valueName + " and " + fileName + " are both set; give the secret one way");
        }
        if (file.isPresent()) {
            Path path = readableFile(file.get(), fileName);
            try {
                String secret = Files.readString(path).replaceFirst("\r?\n$", "");
                if (secret.isEmpty()) {
                    throw new ConfigurationException(fileName + ": " + path + " is empty");
                }
                return Optional.of(secret);
            } catch (IOException e) {
                throw new ConfigurationException(fileName + ": " + path + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        return value.filter(v -> !v.isEmpty());
    }

    private static Path readableFile(String file, String name) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ConfigurationException(name + ": " + path + " is not a readable file");
        }
        return path;
    }

    /** Without the URL and the property values, which may hold secrets. */
    @Override
    public String toString() {
        return "WarehouseTarget[engine=" + engine + ", driver=" + driverClass + ", properties=" + properties.keySet() + "]";
    }
}
