package dev.linkedaudiences.delivery.destination;

import dev.linkedaudiences.delivery.DeliveryConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.UUID;

/**
 * Counts the live delivery-service instances, so that each sends a destination's rate limit divided by their number
 * (docs/adr/0007): every instance writes a heartbeat in {@code delivery_instance} and counts the instances seen within
 * {@code delivery.instance-timeout}, by the database's clock. A stopping instance removes its row, so the others take
 * its share at their next heartbeat; one that dies is no longer counted after the timeout. While the database does not
 * answer, the last count stays.
 */
@ApplicationScoped
public class LiveInstances {
    /** Records this instance's heartbeat, forgets instances gone for long, and counts the others still live. */
    static final String HEARTBEAT = """
            with beat as (insert into delivery_instance (id, seen_at) values ($1, now())
                          on conflict (id) do update set seen_at = now()),
                 gone as (delete from delivery_instance where seen_at < now() - make_interval(secs => $2) and id <> $1)
            select count(*) as others from delivery_instance
            where seen_at >= now() - make_interval(secs => $2) and id <> $1""";
    private static final Duration GOODBYE_TIMEOUT = Duration.ofSeconds(2);

    private final String id = UUID.randomUUID().toString();
    private final Pool pool;
    private final RateLimits rateLimits;
    private final double timeoutSeconds;
    private volatile boolean stopping;

    public LiveInstances(Pool pool, RateLimits rateLimits, DeliveryConfig config) {
        this.pool = pool;
        this.rateLimits = rateLimits;
        this.timeoutSeconds = config.instanceTimeout().toMillis() / 1000.0;
    }

    @Scheduled(every = "${delivery.instance-heartbeat}")
    Uni<Void> heartbeat() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(HEARTBEAT).execute(Tuple.of(id, timeoutSeconds))
                .invoke(rows -> {
                    int live = 1 + rows.iterator().next().getInteger("others");
                    if (live != rateLimits.instances()) {
                        Log.infof("%d live delivery-service instance(s): each sends 1/%d of every rate limit", live, live);
                        rateLimits.shareBetween(live);
                    }
                })
                .onFailure().invoke(e -> Log.warnf("Instance heartbeat failed, keeping %d instance(s): %s",
                        rateLimits.instances(), e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        pool.preparedQuery("delete from delivery_instance where id = $1").execute(Tuple.of(id))
                .onFailure().recoverWithNull()
                .await().atMost(GOODBYE_TIMEOUT);
    }
}
