package dev.linkedaudiences.compute.run;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sample warehouse (samples/abandoned-carts/warehouse.sql) in a fresh DuckDB file, as compute-service's warehouse
 * ({@code warehouse.engine=duckdb}). {@link #main} is the loader process that changes the file between runs, as
 * bin/demo's loader does: a separate process, since a DuckDB file is locked by the process that opens it.
 */
public class DuckDbWarehouse implements QuarkusTestResourceLifecycleManager {
    static Path file;

    @Override
    public Map<String, String> start() {
        try {
            file = Files.createTempDirectory("la-duckdb-warehouse").resolve("warehouse.duckdb");
            execute(file, Files.readString(Path.of("../samples/abandoned-carts/warehouse.sql")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("warehouse.engine", "duckdb", "warehouse.duckdb.path", file.toString());
    }

    @Override
    public void stop() {
    }

    /** Runs {@code sql} on the warehouse file in a process of its own; fails if that process cannot open the file. */
    static void changeFromAnotherProcess(String sql) throws Exception {
        Process loader = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DuckDbWarehouse.class.getName(), file.toString(), sql)
                .redirectErrorStream(true).start();
        String output = new String(loader.getInputStream().readAllBytes());
        if (!loader.waitFor(60, TimeUnit.SECONDS) || loader.exitValue() != 0) {
            throw new AssertionError("the loader process could not change the warehouse file: " + output);
        }
    }

    /** The loader: {@code <file> <sql>}. */
    public static void main(String[] args) throws Exception {
        execute(Path.of(args[0]), args[1]);
    }

    private static void execute(Path file, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run SQL on " + file, e);
        }
    }
}
