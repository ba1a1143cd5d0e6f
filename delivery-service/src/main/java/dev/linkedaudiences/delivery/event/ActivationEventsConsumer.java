package dev.linkedaudiences.delivery.event;

import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.delivery.activation.ActivationState;
import dev.linkedaudiences.delivery.dispatch.Dispatcher;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns every activation event into one {@link DeliveryEvent} row: {@code filtered_at_source} with compute-service's
 * reason when it did not let the event out, {@code pending} when its activation delivers, {@code filtered_at_destination}
 * otherwise. Records arrive in batches (whatever one poll returned) and are inserted in one transaction, in order
 * (their {@code seq} is the order a profile's events are sent in); the Uni completes after the commit and only then
 * are the Kafka offsets acknowledged, so a crash re-reads the records instead of losing them, and the message id
 * key absorbs the re-read.
 */
@ApplicationScoped
public class ActivationEventsConsumer {
    /** One statement per poll: the rows as arrays, inserted in the order of the poll (which is the seq order). */
    private static final String INSERT = """
            insert into delivery_event (message_id, activation_id, audience_id, run_id, profile_id, trigger, event_name,
                                        destination, payload, status, reason, next_attempt_at, created_at, finished_at)
            select message_id, activation_id, audience_id, run_id, profile_id, trigger, event_name, destination, payload,
                   status, reason, next_attempt_at, created_at, finished_at
            from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[])
                 with ordinality as e(message_id, activation_id, audience_id, run_id, profile_id, trigger, event_name,
                                      destination, payload, status, reason, next_attempt_at, created_at, finished_at, n)
            order by n
            on conflict (message_id) do nothing""";
    private static final int COLUMNS = 14;

    private final Pool pool;
    private final Dispatcher dispatcher;

    public ActivationEventsConsumer(Pool pool, Dispatcher dispatcher) {
        this.pool = pool;
        this.dispatcher = dispatcher;
    }

    @Incoming(Topics.ACTIVATION_EVENTS)
    public Uni<Void> consume(List<ReceivedEvent> records) {
        List<ReceivedEvent> events = records.stream().filter(ActivationEventsConsumer::usable).toList();
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] activationIds = events.stream().map(ReceivedEvent::activationId).distinct().toArray(String[]::new);
        return pool.withTransaction(connection -> connection.preparedQuery("select * from activation_state where id = any($1)")
                .execute(Tuple.of(activationIds))
                .chain(rows -> {
                    Map<String, ActivationState> activations = new HashMap<>();
                    for (Row row : rows) {
                        ActivationState activation = ActivationState.of(row);
                        activations.put(activation.id, activation);
                    }
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    Object[][] columns = new Object[COLUMNS][];
                    for (int c = 0; c < COLUMNS; c++) {
                        columns[c] = c < 11 ? new String[events.size()] : new OffsetDateTime[events.size()];
                    }
                    for (int row = 0; row < events.size(); row++) {
                        ReceivedEvent event = events.get(row);
                        List<Object> values = row(event, activations.get(event.activationId()), now);
                        for (int c = 0; c < COLUMNS; c++) {
                            columns[c][row] = values.get(c);
                        }
                    }
                    return connection.preparedQuery(INSERT).execute(Tuple.from(Arrays.asList((Object[]) columns)));
                }))
                .invoke(dispatcher::wake) // new pending events go out now, not at the next tick
                .replaceWithVoid();
    }

    private static boolean usable(ReceivedEvent event) {
        if (!ReceivedEvent.usable(event)) {
            Log.warnf("Skipping an unusable activation-events record (activation %s)", event == null ? null : event.activationId());
            return false;
        }
        return true;
    }

    /** The 14 columns of the event's row, in the order of {@link #INSERT}. */
    private static List<Object> row(ReceivedEvent event, ActivationState activation, OffsetDateTime now) {
        DeliveryStatus status;
        Optional<String> reason;
        if (event.filteredAtSource() != null) {
            status = DeliveryStatus.FILTERED_AT_SOURCE;
            reason = Optional.of(event.filteredAtSource());
        } else {
            reason = ActivationState.filterReason(activation);
            status = reason.isPresent() ? DeliveryStatus.FILTERED_AT_DESTINATION : DeliveryStatus.PENDING;
        }
        boolean pending = status == DeliveryStatus.PENDING;
        String audienceId = event.audienceId() != null || activation == null ? event.audienceId() : activation.audienceId;
        return Arrays.asList(event.messageId(), event.activationId(), audienceId, event.runId(), event.profileId(),
                event.trigger(), event.eventName(), activation == null ? null : activation.destinationType, event.messageJson(),
                status.value, reason.orElse(null), pending ? now : null, now, pending ? null : now);
    }
}
