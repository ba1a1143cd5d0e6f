package dev.linkedaudiences.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The PostgreSQL that {@code bin/infra up} provides (127.0.0.1:5432, role la/la), and fresh databases on it. */
public final class LocalPostgres {
    public static final String HOST = System.getenv().getOrDefault("LA_PG_HOST", "127.0.0.1");
    public static final String PORT = System.getenv().getOrDefault("LA_PG_PORT", "5432");
    public static final String USER = "la";
    public static final String PASSWORD = "la";

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    public static String reactiveUrl(String database) {
        return "postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
    }

    /** Drops and creates {@code database}, so that each test run starts from nothing. */
    public static void recreateDatabase(String database) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
            s.execute("CREATE DATABASE \"" + database + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " is not usable as la/la; run bin/infra up", e);
        }
    }

    /** Runs a SQL script (several statements) in {@code database}. */
    public static void runScript(String database, java.nio.file.Path script) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(java.nio.file.Files.readString(script));
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("could not run " + script.toAbsolutePath() + " in " + database, e);
        }
    }

    private LocalPostgres() {
    }
}
