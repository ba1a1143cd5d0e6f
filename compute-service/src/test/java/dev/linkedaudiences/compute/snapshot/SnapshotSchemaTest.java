package dev.linkedaudiences.compute.snapshot;

import dev.linkedaudiences.compute.sql.PostgresDialect;
import dev.linkedaudiences.compute.warehouse.JdbcSession;
import dev.linkedaudiences.testsupport.LocalPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Instances that start together on a new warehouse all get the snapshot tables, on real PostgreSQL. */
class SnapshotSchemaTest {
    private static final String DB = "compute_test_snapshot_schema";
    private static final int INSTANCES = 4;

    @Test
    void instancesCreatingTheSchemaAtOnceAllSucceed() throws Exception {
        LocalPostgres.recreateDatabase(DB);
        ExecutorService threads = Executors.newFixedThreadPool(INSTANCES);
        try {
            for (int round = 0; round < 5; round++) {
                String schema = "la_compute_" + round;
                CyclicBarrier together = new CyclicBarrier(INSTANCES);
                List<Future<?>> created = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    created.add(threads.submit(() -> {
                        try (Connection c = LocalPostgres.connect(DB)) {
                            together.await(10, TimeUnit.SECONDS);
                            MembershipSnapshots.ensureSchema(new JdbcSession(c), new PostgresDialect(), schema);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : created) {
                    f.get(30, TimeUnit.SECONDS); // throws if an instance failed
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
