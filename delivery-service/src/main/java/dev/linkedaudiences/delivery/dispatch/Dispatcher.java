package dev.linkedaudiences.delivery.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.secret.SecretBox;
import dev.linkedaudiences.contracts.secret.SecretException;
import dev.linkedaudiences.delivery.DeliveryConfig;
import dev.linkedaudiences.delivery.activation.ActivationState;
import dev.linkedaudiences.delivery.destination.BatchSender;
import dev.linkedaudiences.delivery.destination.DeliveryResult;
import dev.linkedaudiences.delivery.destination.Destination;
import dev.linkedaudiences.delivery.destination.Destinations;
import dev.linkedaudiences.delivery.destination.OutgoingMessage;
import dev.linkedaudiences.delivery.event.DeliveryEvent;
import dev.linkedaudiences.delivery.event.DeliveryStatus;
import dev.linkedaudiences.delivery.outcome.OutcomePublisher;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Sends due pending events to their destinations and records what came of it.
 * <p>
 * A pass claims up to {@code delivery.batch-size} due events with {@code FOR UPDATE SKIP LOCKED}, so passes and
 * instances share the work, groups them by activation, sends each group through the destination's batch endpoint
 * ({@link BatchSender}: one result per event) and records every result, all in one transaction: a crash before
 * the commit leaves the events pending, to be sent again with the same message id. Only the earliest pending event
 * of an (activation, profile) is ever claimed, so a pass never holds two events of one profile: a profile's events
 * reach the destination in the order they were produced, retries included, while other profiles keep flowing.
 * <p>
 * The batch is shared between the activations with due events ({@link ClaimShares}), so a backlog of one activation
 * never delays another's events. Events put off for a rate limit are not written: they stay due, and their
 * activation is left out of claims until its endpoint has room.
 * <p>
 * The outcomes of the events a pass finished are published before its results are recorded, and recorded as
 * published once the broker acknowledged them: the outcome relay then never has to read them back and mark them,
 * which was one more write of every row. A crash between the acknowledgement and the commit leaves the events
 * pending; they are sent again and their outcome published again (consumers key on message id and step). Sending
 * needs no broker: while it is down, passes record their outcomes unpublished and the relay publishes them later.
 */
@ApplicationScoped
public class Dispatcher {
    /**
     * Every activation with pending events, and when its earliest one is due: a loose index scan of
     * {@code delivery_event_activation_due}, one index descent per activation however many events it holds. Each
     * step is a subquery with {@code order by ... limit 1}, so the plan cannot become a scan of the whole backlog.
     */
    static final String PENDING_ACTIVATIONS = """
            with recursive pending(activation_id) as (
                (select activation_id from delivery_event where status = 'pending' order by activation_id limit 1)
                union all
                select (select e.activation_id from delivery_event e
                        where e.status = 'pending' and e.activation_id > p.activation_id
                        order by e.activation_id
                        limit 1)
                from pending p where p.activation_id is not null)
            select p.activation_id,
                   (select e.next_attempt_at from delivery_event e
                    where e.status = 'pending' and e.activation_id = p.activation_id
                    order by e.next_attempt_at
                    limit 1) as earliest_due
            from pending p where p.activation_id is not null""";
    /**
     * For each activation ({@code $1}) its share ({@code $2}) of due events ({@code $3}) that are the earliest
     * pending event of their (activation, profile), in due order. Its shape fixes the plan, whatever the statistics
     * and whichever plan the connection's prepared statement cached: with {@link #CLAIM_SETTINGS}, walking
     * {@code delivery_event_activation_due} from the activation is the only way to its order, and the lateral
     * lookup, which depends on each row, can only be a nested loop into {@code delivery_event_profile_pending} by
     * (activation, profile). Written as a {@code NOT EXISTS} anti-join, its generic plan made while the table was
     * empty re-read every pending event for each candidate: 112 s per claim with 100,000 pending
     * (docs/benchmarks.md, "Claim without statistics").
     */
    static final String CLAIM_DUE = """
            select claimed.* from unnest($1::text[], $2::int[]) as share(activation_id, events)
            cross join lateral (
                select e.* from delivery_event e
                cross join lateral (select earliest.seq from delivery_event earliest
                                    where earliest.activation_id = e.activation_id and earliest.profile_id = e.profile_id
                                      and earliest.status = 'pending'
                                    order by earliest.seq
                                    limit 1) first_pending
                where e.activation_id = share.activation_id and e.status = 'pending' and e.next_attempt_at <= $3
                  and first_pending.seq = e.seq
                order by e.next_attempt_at, e.seq
                limit share.events
                for update of e skip locked) claimed""";
    /**
     * The claim's transaction settings. When the table's statistics are behind a burst (a new installation, a large
     * backfill), the planner believes few events are due and would rather fetch them all and sort them: 30 times
     * slower with 100,000 pending (V5 migration), so sorting is made its last resort. With up-to-date statistics it
     * cannot tell how soon the walk fills a batch and may price the claim above JIT's thresholds: compiling took
     * 320 to 470 ms, for claims that run in 9 to 15 ms.
     */
    static final String CLAIM_SETTINGS = "set local enable_sort = off; set local jit = off";
    private static final String ACTIVATIONS = "select * from activation_state where id = any($1)";
    /** Every result of a pass in one statement, as arrays. */
    private static final String RECORD = """
            update delivery_event e
            set status = r.status, reason = r.reason, attempts = r.attempts, next_attempt_at = r.next_attempt_at,
                finished_at = r.finished_at, outcome_published = r.outcome_published
            from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::bool[])
                 as r(message_id, status, reason, attempts, next_attempt_at, finished_at, outcome_published)
            where e.message_id = r.message_id""";
    private static final int MAX_PASSES_PER_ROUND = 200;
    private static final long MIN_TIMER_MILLIS = 5;
    /** How long a stopping service waits for the pass in flight (a send can take up to its timeout). */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

    private final DeliveryConfig config;
    private final Destinations destinations;
    private final BatchSender sender;
    private final Pool pool;
    private final ObjectMapper json;
    private final OutcomePublisher outcomes;
    private final SecretBox secrets;
    private final RetryPolicy retryPolicy;
    private final ClaimShares claimShares;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    /** Set when the service shuts down: no new pass starts on a pool about to close. */
    private volatile boolean stopping;
    /** The earliest retry (or rate-limited activation's turn) within the next tick, in epoch millis: a timer wakes for it. */
    private final AtomicLong soonestDue = new AtomicLong(Long.MAX_VALUE);

    public Dispatcher(DeliveryConfig config, Destinations destinations, BatchSender sender, Pool pool, ObjectMapper json,
                      Vertx vertx, OutcomePublisher outcomes, SecretBox secrets) {
        this.config = config;
        this.secrets = secrets;
        this.outcomes = outcomes;
        this.vertx = vertx;
        this.destinations = destinations;
        this.sender = sender;
        this.pool = pool;
        this.json = json;
        this.retryPolicy = new RetryPolicy(config.backoffBase(), config.backoffCap(),
                new Random()); // thread-safe: passes run on whichever event loop the scheduler picks
        this.claimShares = new ClaimShares(config.batchSize());
    }

    /**
     * Looks for due events now: on every tick (retries come due), and whenever new pending events were stored
     * ({@link #wake()}), so that a new event does not wait for the next tick. At most one round of passes runs at a
     * time in this instance; a wake during a round starts another round after it.
     */
    @Scheduled(every = "${delivery.dispatch-interval}", delayed = "2s")
    void tick() {
        wake();
    }

    /**
     * Starts no new pass and lets the one in flight finish before the pool closes: its events were sent, and
     * recording them now spares the destinations a second copy after the restart.
     */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        while (running.get() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Starts a round of passes unless one is running, in which case that one is followed by another. */
    public void wake() {
        if (stopping) {
            return;
        }
        wakeRequested.set(true);
        if (running.compareAndSet(false, true)) {
            wakeRequested.set(false);
            vertx.getOrCreateContext().runOnContext(ignored -> dispatchDue().subscribe().with(done -> roundOver(), failure -> roundOver()));
        }
    }

    private void roundOver() {
        running.set(false);
        long soonest = soonestDue.getAndSet(Long.MAX_VALUE);
        if (wakeRequested.get()) {
            soonestDue.accumulateAndGet(soonest, Math::min); // for the timer after the next round
            wake();
        } else if (soonest != Long.MAX_VALUE) {
            vertx.setTimer(Math.max(MIN_TIMER_MILLIS, soonest - System.currentTimeMillis()), id -> wake());
        }
    }

    /** One round: {@code delivery.dispatch-concurrency} passes at once, each repeated while more is due. */
    Uni<Void> dispatchDue() {
        return Uni.join().all(IntStream.range(0, Math.max(1, config.dispatchConcurrency())).mapToObj(i -> drain()).toList())
                .andCollectFailures()
                .onFailure().invoke(e -> Log.warnf("Dispatcher pass failed, retrying on the next tick: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Passes one after the other while they find due events, for a while at most (a pass may claim less than the
     * batch although more is due: an activation's share is the most it takes).
     */
    private Uni<Integer> drain() {
        return Multi.createBy().repeating().uni(this::dispatchBatch)
                .whilst(claimed -> claimed > 0 && !stopping)
                .select().first(MAX_PASSES_PER_ROUND)
                .collect().last();
    }

    /** Claims, sends and records one batch in one transaction; answers how many events it claimed. */
    public Uni<Integer> dispatchBatch() {
        return pool.withTransaction(connection -> connection.query(CLAIM_SETTINGS).execute()
                .chain(() -> connection.preparedQuery(PENDING_ACTIVATIONS).execute())
                .chain(pending -> claim(connection, pending))
                .chain(due -> due.isEmpty() ? Uni.createFrom().item(0)
                        : sendAll(connection, due)
                        .chain(results -> publishFinished(results).chain(published -> record(connection, results, published)))
                        .replaceWith(due.size())));
    }

    /** Claims each activation's share of its due events ({@link ClaimShares}). */
    private Uni<List<DeliveryEvent>> claim(SqlConnection connection, RowSet<Row> pending) {
        Instant now = Instant.now();
        Map<String, Instant> earliestDue = new HashMap<>();
        for (Row row : pending) {
            OffsetDateTime due = row.getOffsetDateTime("earliest_due");
            if (due != null) {
                earliestDue.put(row.getString("activation_id"), due.toInstant());
            }
        }
        Map<String, Integer> shares = claimShares.shares(earliestDue, now);
        if (shares.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return connection.preparedQuery(CLAIM_DUE)
                .execute(Tuple.of(shares.keySet().toArray(String[]::new), shares.values().toArray(Integer[]::new), utc(now)))
                .map(rows -> {
                    List<DeliveryEvent> due = new ArrayList<>();
                    rows.forEach(row -> due.add(DeliveryEvent.of(row)));
                    return due;
                });
    }

    /** Sends the claimed events by activation; answers those with a result to record (not those put off). */
    private Uni<List<DeliveryEvent>> sendAll(SqlConnection connection, List<DeliveryEvent> due) {
        Map<String, List<DeliveryEvent>> byActivation = new LinkedHashMap<>();
        due.forEach(event -> byActivation.computeIfAbsent(event.activationId, id -> new ArrayList<>()).add(event));
        return connection.preparedQuery(ACTIVATIONS).execute(Tuple.of(byActivation.keySet().toArray(String[]::new)))
                .chain(rows -> {
                    Map<String, ActivationState> activations = new LinkedHashMap<>();
                    for (Row row : rows) {
                        ActivationState activation = ActivationState.of(row);
                        activations.put(activation.id, activation);
                    }
                    return Uni.join().all(byActivation.entrySet().stream()
                                    .map(group -> send(activations.get(group.getKey()), group.getValue()))
                                    .toList())
                            .andCollectFailures()
                            .map(groups -> groups.stream().flatMap(List::stream).toList());
                });
    }

    /** Sends one activation's events; answers those with a result (those put off for a rate limit stay as they are). */
    private Uni<List<DeliveryEvent>> send(ActivationState activation, List<DeliveryEvent> events) {
        Optional<String> filtered = ActivationState.filterReason(activation);
        if (filtered.isPresent()) {
            // Disabled or deleted while the events waited: nothing is sent from now on.
            events.forEach(event -> event.filterAtDestination(filtered.get(), Instant.now()));
            return Uni.createFrom().item(events);
        }
        Optional<Destination> destination = destinations.forType(activation.destinationType);
        if (destination.isEmpty()) {
            DeliveryResult unsupported = DeliveryResult.notSendable("unsupported_destination_type: " + activation.destinationType);
            events.forEach(event -> record(event, unsupported, Instant.now(), config.retryWindow()));
            return Uni.createFrom().item(events);
        }
        Map<String, String> settings;
        try {
            settings = activation.settings(json, secrets);
        } catch (SecretException e) {
            // A key missing from secrets.keys (dropped too early): retried within the window, the pass goes on.
            DeliveryResult unreadable = new DeliveryResult(DeliveryResult.Kind.NETWORK_ERROR, 0, "secret_unreadable: " + e.getMessage(), null, null);
            events.forEach(event -> record(event, unreadable, Instant.now(), config.retryWindow()));
            return Uni.createFrom().item(events);
        }
        Duration window = retryWindow(settings, config.retryWindow());
        List<OutgoingMessage> messages = events.stream().map(event -> OutgoingMessage.ofJson(event.payload, json)).toList();
        Instant sending = Instant.now(); // when the rate limits were asked: a put-off send's wait counts from here
        return sender.send(destination.get(), activation.destinationId, activation.action, messages, settings)
                .onFailure().recoverWithItem(e -> messages.stream().map(m -> DeliveryResult.networkError(e)).toList())
                .map(results -> {
                    Instant now = Instant.now();
                    List<DeliveryEvent> recorded = new ArrayList<>(events.size());
                    Duration soonestTurn = null;
                    for (int i = 0; i < events.size(); i++) {
                        DeliveryResult result = results.get(i);
                        if (result.kind() == DeliveryResult.Kind.DEFERRED) {
                            soonestTurn = soonestTurn == null || result.retryAfter().compareTo(soonestTurn) < 0
                                    ? result.retryAfter() : soonestTurn;
                        } else {
                            record(events.get(i), result, now, window);
                            recorded.add(events.get(i));
                        }
                    }
                    if (soonestTurn == null) {
                        claimShares.keptUp(activation.id);
                    } else {
                        Instant turn = sending.plus(soonestTurn);
                        claimShares.putOff(activation.id, sending, turn, recorded.size());
                        wakeWithinTheSecond(turn, now);
                    }
                    return recorded;
                });
    }

    /** The destination's {@code retryWindow} setting (ISO-8601 duration), else the service's default. */
    public static Duration retryWindow(Map<String, String> settings, Duration byDefault) {
        String setting = settings.get("retryWindow");
        if (setting == null || setting.isBlank()) {
            return byDefault;
        }
        try {
            Duration window = Duration.parse(setting.strip());
            return window.isNegative() || window.isZero() ? byDefault : window;
        } catch (DateTimeParseException e) {
            return byDefault;
        }
    }

    private void record(DeliveryEvent event, DeliveryResult result, Instant now, Duration window) {
        if (result.attempted()) {
            event.attempts++;
        }
        Instant windowStart = event.retrySince != null ? event.retrySince : event.createdAt;
        RetryPolicy.Decision decision = retryPolicy.decide(result, event.attempts, windowStart, now, window);
        switch (decision.outcome()) {
            case DELIVERED -> event.succeed(now);
            case RETRY -> {
                event.retryAt(decision.retryAt(), decision.reason());
                wakeWithinTheSecond(decision.retryAt(), now);
            }
            case FAILED -> {
                Log.infof("Event %s of activation %s failed: %s", event.messageId, event.activationId, decision.reason());
                event.fail(decision.reason(), now);
            }
        }
    }

    /** Sets the timer of this round for {@code due} if it comes before the next tick. */
    private void wakeWithinTheSecond(Instant due, Instant now) {
        if (due.isBefore(now.plusSeconds(1))) {
            soonestDue.accumulateAndGet(due.toEpochMilli(), Math::min);
        }
    }

    /**
     * Publishes the outcomes of the events that reached a final step; answers whether the broker took them all. While
     * the broker is away the pass does not wait for it: the outcome relay publishes them once it is back.
     */
    private Uni<Boolean> publishFinished(List<DeliveryEvent> due) {
        List<DeliveryEvent> finished = due.stream().filter(event -> !DeliveryStatus.PENDING.value.equals(event.status)).toList();
        if (!outcomes.brokerAvailable()) {
            return Uni.createFrom().item(false);
        }
        return outcomes.publishAll(finished)
                .replaceWith(true)
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("Outcomes of a pass left to the outcome relay: %s", e.getMessage());
                    return false;
                });
    }

    private Uni<Void> record(SqlConnection connection, List<DeliveryEvent> events, boolean outcomesPublished) {
        int n = events.size();
        String[] ids = new String[n];
        String[] statuses = new String[n];
        String[] reasons = new String[n];
        Integer[] attempts = new Integer[n];
        OffsetDateTime[] nextAttempts = new OffsetDateTime[n];
        OffsetDateTime[] finished = new OffsetDateTime[n];
        Boolean[] published = new Boolean[n];
        for (int i = 0; i < n; i++) {
            DeliveryEvent event = events.get(i);
            ids[i] = event.messageId;
            statuses[i] = event.status;
            reasons[i] = event.reason;
            attempts[i] = event.attempts;
            nextAttempts[i] = utc(event.nextAttemptAt);
            finished[i] = utc(event.finishedAt);
            published[i] = outcomesPublished && !DeliveryStatus.PENDING.value.equals(event.status);
        }
        return connection.preparedQuery(RECORD)
                .execute(Tuple.from(Arrays.asList(ids, statuses, reasons, attempts, nextAttempts, finished, published)))
                .replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
