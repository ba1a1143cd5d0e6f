package dev.linkedaudiences.compute.conformance;

import dev.linkedaudiences.compute.warehouse.WarehouseGateway;
import dev.linkedaudiences.compute.warehouse.WarehouseSession;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.linkedaudiences.compute.ReactiveWork.await;

/**
 * Conformance checks on the installation's own warehouse, through the warehouse gateway: a request is checked
 * (the scratch schema must not be the snapshot schema nor hold any table), recorded, and run in the background,
 * one at a time per instance (each loads and queries the warehouse for minutes); its record then holds the report.
 */
@ApplicationScoped
public class ConformanceChecks {
    private final WarehouseGateway warehouse;
    private final JsonText json;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "conformance-check"));
    private final String instanceId = System.getenv().getOrDefault("HOSTNAME", "compute") + "-" + UUID.randomUUID().toString().substring(0, 8);

    public ConformanceChecks(WarehouseGateway warehouse, JsonText json) {
        this.warehouse = warehouse;
        this.json = json;
    }

    /** Refuses an unusable scratch schema (400 at /scratchSchema), else records the check and starts it. */
    public Uni<ConformanceCheckRecord> start(String scratchSchema, long seed, int definitions) {
        return VertxContextSupport.executeBlocking(() -> refusal(scratchSchema)).flatMap(refused -> {
            if (refused != null) {
                return Uni.createFrom().failure(ApiException.invalid("/scratchSchema", refused));
            }
            ConformanceCheckRecord check = new ConformanceCheckRecord();
            check.id = UUID.randomUUID().toString();
            check.status = ConformanceCheckRecord.QUEUED;
            check.scratchSchema = scratchSchema;
            check.seed = seed;
            check.definitions = definitions;
            check.requestedAt = Instant.now();
            check.executedBy = instanceId;
            return Panache.withTransaction(check::<ConformanceCheckRecord>persistAndFlush);
        }).invoke(check -> worker.submit(() -> execute(check.id, scratchSchema, seed, definitions)));
    }

    public Uni<ConformanceCheckRecord> get(String id) {
        return Panache.withSession(() -> ConformanceCheckRecord.<ConformanceCheckRecord>findById(id))
                .onItem().ifNull().failWith(() -> ApiException.notFound("conformance check '" + id + "'"));
    }

    /** Why the schema cannot be the scratch schema, or null. */
    private String refusal(String scratchSchema) {
        try (WarehouseSession c = warehouse.session()) {
            return ConformanceCheck.refusal(c, scratchSchema, warehouse.snapshotSchema()).orElse(null);
        } catch (SQLException e) {
            throw ApiException.unavailable("the warehouse could not be asked about schema '" + scratchSchema + "': " + e.getMessage());
        }
    }

    private void execute(String id, String scratchSchema, long seed, int definitions) {
        Instant runStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        update(id, check -> {
            check.status = ConformanceCheckRecord.RUNNING;
            check.startedAt = Instant.now();
        });
        try (WarehouseSession c = warehouse.session(); WarehouseSession cursor = warehouse.session()) {
            ConformanceReport report = new ConformanceCheck(c, cursor, warehouse.dialect(), scratchSchema).run(seed, definitions, runStart);
            Log.infof("conformance check %s in %s: %s, %d definitions", id, scratchSchema, report.agreed() ? "agreed" : "DISAGREED", definitions);
            update(id, check -> {
                check.status = ConformanceCheckRecord.COMPLETED;
                check.agreed = report.agreed();
                check.report = json.write(report);
            });
        } catch (ConformanceCheck.SchemaRefused e) {
            failed(id, e.getMessage());
        } catch (SQLException e) {
            failed(id, "the warehouse failed during the check (SQLState " + e.getSQLState() + "): " + e.getMessage()
                    + (e.getSuppressed().length > 0 ? "; " + e.getSuppressed()[0].getMessage() : ""));
        } catch (RuntimeException | Error e) {
            // an Error too (a StackOverflowError leaves a healthy JVM): the check must not stay "running" forever
            Log.errorf(e, "conformance check %s failed unexpectedly", id);
            failed(id, "internal error: " + e);
        }
    }

    private void failed(String id, String error) {
        Log.warnf("conformance check %s failed: %s", id, error);
        update(id, check -> {
            check.status = ConformanceCheckRecord.FAILED;
            check.error = error;
        });
    }

    /** Changes the check's record from this worker thread; a change to a final status also sets finishedAt. */
    private void update(String id, java.util.function.Consumer<ConformanceCheckRecord> change) {
        await(() -> Panache.withTransaction(() -> ConformanceCheckRecord.<ConformanceCheckRecord>findById(id).invoke(check -> {
            change.accept(check);
            if (!check.status.equals(ConformanceCheckRecord.RUNNING)) {
                check.finishedAt = Instant.now();
            }
        })));
    }

    /**
     * A stopping instance does not finish its checks: they are marked failed, so that nobody waits for them. What a
     * check interrupted this way made stays in its scratch schema; the error says so.
     */
    void stop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
        try {
            await(() -> Panache.withTransaction(() -> ConformanceCheckRecord.update("status = ?1, error = ?2, finishedAt = ?3"
                            + " where executedBy = ?4 and status in (?5, ?6)", ConformanceCheckRecord.FAILED,
                    "compute-service stopped during the check; drop what it left in its scratch schema (or the schema, if the check created it)",
                    Instant.now(), instanceId, ConformanceCheckRecord.QUEUED, ConformanceCheckRecord.RUNNING)));
        } catch (RuntimeException e) {
            Log.warnf("unfinished conformance checks of %s could not be marked failed: %s", instanceId, e.getMessage());
        }
    }
}
