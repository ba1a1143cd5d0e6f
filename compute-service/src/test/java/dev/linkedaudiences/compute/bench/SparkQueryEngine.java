package dev.linkedaudiences.compute.bench;

import dev.linkedaudiences.compute.sql.CompiledQuery;
import dev.linkedaudiences.compute.sql.Dialect;
import dev.linkedaudiences.compute.sql.Dialects;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Spark SQL in process (local[2], the machine's cores), for the databricks dialect: Databricks SQL is Spark SQL. The
 * export's tables are converted once to Parquet files (as Delta tables store them) and registered as tables of
 * databases bench and bench_profiles; a query past its timeout is cancelled through its job group.
 */
final class SparkQueryEngine implements QueryEngine {
    private final SparkSession spark;
    private final AtomicInteger queries = new AtomicInteger();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "query-timeout");
        t.setDaemon(true);
        return t;
    });

    private SparkQueryEngine(SparkSession spark) {
        this.spark = spark;
    }

    /** A local session over the export, with Parquet files under {@code dir} written from it the first time. */
    static SparkQueryEngine open(WarehouseExport export, Path dir) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("bench-audiences")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.ansi.enabled", "true")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.warehouse.dir", dir.resolve("spark-warehouse").toAbsolutePath().toString())
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Path parquet = dir.resolve("parquet");
        if (!Files.exists(parquet.resolve("complete"))) {
            long start = System.nanoTime();
            for (Map.Entry<String, List<WarehouseExport.Column>> table : export.tables().entrySet()) {
                String schema = table.getValue().stream().map(c -> "`" + c.name() + "` " + c.type()).collect(Collectors.joining(", "));
                spark.read().schema(schema).option("header", "true").option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
                        .csv(export.csv(table.getKey()).toAbsolutePath().toString())
                        .write().mode("overwrite").parquet(parquet.resolve(table.getKey()).toAbsolutePath().toString());
            }
            Files.writeString(parquet.resolve("complete"), "");
            System.out.printf("[bench] wrote Parquet files to %s in %d s%n", parquet, (System.nanoTime() - start) / 1_000_000_000);
        }
        for (String schema : WarehouseExport.SCHEMAS) {
            spark.sql("CREATE DATABASE IF NOT EXISTS " + schema);
        }
        for (String table : export.tables().keySet()) {
            spark.sql("CREATE TABLE IF NOT EXISTS " + table + " USING parquet LOCATION '" + parquet.resolve(table).toAbsolutePath() + "'");
        }
        return new SparkQueryEngine(spark);
    }

    @Override
    public Dialect dialect() {
        return Dialects.of("databricks");
    }

    @Override
    public String describe() {
        return "Spark " + spark.version() + " (" + spark.sparkContext().master() + ")";
    }

    @Override
    public OptionalLong count(CompiledQuery query, Duration timeout) {
        // Spark binds java.time.Instant, not OffsetDateTime, as a TIMESTAMP literal
        Object[] parameters = query.parameters().stream().map(p -> p instanceof OffsetDateTime t ? t.toInstant() : p).toArray();
        String group = "query-" + queries.incrementAndGet();
        AtomicBoolean timedOut = new AtomicBoolean();
        spark.sparkContext().setJobGroup(group, group, true);
        ScheduledFuture<?> alarm = watchdog.schedule(() -> {
            timedOut.set(true);
            spark.sparkContext().cancelJobGroup(group);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return OptionalLong.of(spark.sql("SELECT COUNT(*) FROM (" + query.sql() + ") m", parameters).first().getLong(0));
        } catch (RuntimeException e) {
            if (timedOut.get()) {
                return OptionalLong.empty();
            }
            throw e;
        } finally {
            alarm.cancel(false);
            spark.sparkContext().clearJobGroup();
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        spark.stop();
    }
}
