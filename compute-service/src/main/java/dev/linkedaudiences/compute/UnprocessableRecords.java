package dev.linkedaudiences.compute;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

import java.sql.SQLException;
import java.util.function.Function;

/**
 * How compute-service's consumers treat a record they cannot process. A record that does not deserialize
 * (the connector logged it and passes null) or that the database refuses for what it holds (SQLSTATE class 22,
 * data exception, e.g. an id longer than its column; class 23, integrity constraint) would fail the same way on
 * every redelivery, and failing the channel would stop every record behind it: it is logged and skipped. Any other
 * failure (the database is down) still fails the channel, the health check turns DOWN and the restarted pod
 * resumes from the last committed offset, so nothing is skipped for a transient reason.
 */
public final class UnprocessableRecords {

    /**
     * @param id names the record in the log; records are not logged whole, they may carry destination secrets
     */
    public static <T> Uni<Void> process(String topic, T record, Function<T, String> id, Function<T, Uni<Void>> handler) {
        if (record == null) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> handler.apply(record)).onFailure(UnprocessableRecords::refusedByDatabase).recoverWithItem(e -> {
            Log.errorf("skipped %s %s of %s, which the database refuses: %s", record.getClass().getSimpleName(), id.apply(record), topic, rootMessage(e));
            return null;
        });
    }

    static boolean refusedByDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // Hibernate Reactive reports the driver's PgException as a java.sql.SQLException
            String state = t instanceof SQLException sql ? sql.getSQLState() : t instanceof PgException pg ? pg.getSqlState() : null;
            if (state != null) {
                return state.startsWith("22") || state.startsWith("23");
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private UnprocessableRecords() {
    }
}
