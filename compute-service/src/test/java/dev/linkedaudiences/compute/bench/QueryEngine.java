package dev.linkedaudiences.compute.bench;

import dev.linkedaudiences.compute.sql.CompiledQuery;
import dev.linkedaudiences.compute.sql.Dialect;

import java.time.Duration;
import java.util.OptionalLong;

/** A warehouse engine the benchmark counts queries on: PostgreSQL or DuckDB over JDBC, Spark in process. */
interface QueryEngine extends AutoCloseable {

    /** The dialect the compiler writes this engine's SQL in. */
    Dialect dialect();

    /** What to print about the engine: its name and version. */
    String describe() throws Exception;

    /**
     * {@code SELECT COUNT(*)} over the query; empty when it ran longer than {@code timeout} (it is cancelled then).
     * Throws when the engine rejects the query.
     */
    OptionalLong count(CompiledQuery query, Duration timeout) throws Exception;
}
