package dev.linkedaudiences.compute.warehouse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * The customer's warehouse ({@code warehouse.*}): which engine, how to reach it, with which credentials. Read at
 * runtime, so one build serves every engine. A secret is given either as a value (an environment variable) or as a
 * {@code *-file} setting naming a mounted file (a Kubernetes Secret), never both; {@link WarehouseTarget#of} checks
 * the settings of the chosen engine and refuses the start with the setting's name when one is missing or doubled.
 */
@ConfigMapping(prefix = "warehouse")
public interface WarehouseSettings {

    /** postgresql, redshift, snowflake, databricks, bigquery or duckdb; the SQL dialect follows from it. */
    @WithDefault("postgresql")
    String engine();

    /** The JDBC URL (postgresql, redshift, snowflake, databricks). */
    Optional<String> jdbcUrl();

    /** The user (postgresql, redshift, snowflake). */
    Optional<String> user();

    /** The user's password (postgresql, redshift, snowflake), or {@link #passwordFile()}. */
    Optional<String> password();

    /** A file holding the user's password. */
    Optional<String> passwordFile();

    Snowflake snowflake();

    Databricks databricks();

    BigQuery bigquery();

    DuckDb duckdb();

    /** The warehouse schema that holds membership snapshots; the service creates it at start. */
    @WithDefault("la_compute")
    String snapshotSchema();

    /** Connections to the warehouse at most (a run holds two). */
    @WithDefault("8")
    int maxConnections();

    /** Snowflake key-pair authentication (SNOWFLAKE_JWT), instead of a password. */
    interface Snowflake {
        /** The user's private key, a PKCS#8 PEM file. */
        Optional<String> privateKeyFile();

        /** The private key's passphrase when it is encrypted, or {@link #privateKeyPassphraseFile()}. */
        Optional<String> privateKeyPassphrase();

        Optional<String> privateKeyPassphraseFile();
    }

    /** Databricks: a personal access token, or OAuth machine-to-machine with a service principal. */
    interface Databricks {
        Optional<String> token();

        Optional<String> tokenFile();

        /** The service principal's application id (OAuth M2M). */
        Optional<String> oauthClientId();

        Optional<String> oauthClientSecret();

        Optional<String> oauthClientSecretFile();
    }

    /** BigQuery, through Google's client library. */
    interface BigQuery {
        /** The project that runs (and pays for) the queries. */
        Optional<String> project();

        /** A service account's JSON key; without it, Application Default Credentials. */
        Optional<String> credentialsFile();

        /** Where the datasets are (US, EU, europe-west1, ...); jobs run there. */
        Optional<String> location();

        /** Another API root than Google's (a private endpoint); without credentials it is called without them. */
        Optional<String> host();
    }

    interface DuckDb {
        /** The DuckDB database file. */
        Optional<String> path();
    }
}
