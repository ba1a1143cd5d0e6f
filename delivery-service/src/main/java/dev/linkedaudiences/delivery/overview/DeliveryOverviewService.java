package dev.linkedaudiences.delivery.overview;

import dev.linkedaudiences.contracts.api.Page;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import dev.linkedaudiences.delivery.event.DeliveryEvent;
import dev.linkedaudiences.delivery.event.DeliveryStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The delivery overview and the dead letters, read from {@code delivery_event}. */
@ApplicationScoped
public class DeliveryOverviewService {
    /**
     * A replay in one statement ({@code %1$s}: the filters). {@code scope} holds every event of the audiences and
     * activations of the failed events matched, each with the next event of its profile. It is one pass over those
     * events, sorted by profile, with no join between the failed events and the others that a plan made without
     * statistics could turn into comparing every pair. Both updates check the status again, for a concurrent replay.
     */
    private static final String REPLAY = """
            with scope as (
                select message_id, (status = 'failed' %1$s) as matched,
                       lead(message_id) over (partition by activation_id, profile_id order by seq) as next_message_id
                from delivery_event
                where audience_id = any(array(select distinct audience_id from delivery_event where status = 'failed' %1$s))
                  and activation_id = any(array(select distinct activation_id from delivery_event where status = 'failed' %1$s))
            ), superseded as (
                update delivery_event e set reason = 'superseded by ' || s.next_message_id
                from scope s
                where e.message_id = s.message_id and s.matched and s.next_message_id is not null and e.status = 'failed'
                returning e.message_id
            ), replayed as (
                update delivery_event e set status = 'pending', reason = null, attempts = 0, next_attempt_at = :now,
                       finished_at = null, outcome_published = false, retry_since = :now
                from scope s
                where e.message_id = s.message_id and s.matched and s.next_message_id is null and e.status = 'failed'
                returning e.message_id
            )
            select (select count(*) from replayed), (select count(*) from superseded)""";

    /** The query parameters of an overview, checked: every bad one is named in one 400. */
    record Filter(String audienceId, String activationId, String eventName, Instant from, Instant to) {
        static Filter of(String audienceId, String activationId, String eventName, String from, String to) {
            List<FieldError> errors = new ArrayList<>();
            if (audienceId == null || audienceId.isBlank()) {
                errors.add(new FieldError("/audienceId", "audienceId is required"));
            }
            Instant fromInstant = instant("/from", from, errors);
            Instant toInstant = instant("/to", to, errors);
            if (fromInstant != null && toInstant != null && !toInstant.isAfter(fromInstant)) {
                errors.add(new FieldError("/to", "to must be after from"));
            }
            if (!errors.isEmpty()) {
                throw ApiException.invalid(errors);
            }
            return new Filter(audienceId, blankToNull(activationId), blankToNull(eventName), fromInstant, toInstant);
        }
    }

    @WithSession
    public Uni<DeliveryOverview> overview(String audienceId, String activationId, String eventName, String from, String to) {
        Filter filter = Filter.of(audienceId, activationId, eventName, from, to);
        // Only the filters given become conditions: a null parameter compared in SQL has no type PostgreSQL can infer.
        StringBuilder sql = new StringBuilder("select status, count(*) from delivery_event where audience_id = :audienceId");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("audienceId", filter.audienceId());
        condition(sql, parameters, "activation_id = :activationId", "activationId", filter.activationId());
        condition(sql, parameters, "event_name = :eventName", "eventName", filter.eventName());
        condition(sql, parameters, "created_at >= :from", "from", filter.from());
        condition(sql, parameters, "created_at < :to", "to", filter.to());
        sql.append(" group by status");
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString(), Object[].class);
            parameters.forEach(query::setParameter);
            return query.getResultList();
        }).map(rows -> {
            Map<DeliveryStatus, Long> countByStatus = new EnumMap<>(DeliveryStatus.class);
            rows.forEach(row -> countByStatus.put(DeliveryStatus.of((String) row[0]), ((Number) row[1]).longValue()));
            return new DeliveryOverview(filter.audienceId(), filter.activationId(), filter.eventName(), filter.from(),
                    filter.to(), Steps.of(countByStatus));
        });
    }

    /** The failed events of an audience, oldest first, a page at a time. */
    @WithSession
    public Uni<Page<DeadLetter>> deadLetters(String audienceId, String activationId, String limit, String cursor) {
        if (audienceId == null || audienceId.isBlank()) {
            throw ApiException.invalid("/audienceId", "audienceId is required");
        }
        int pageSize = Page.limit(limit);
        long after = afterSeq(Page.decode(cursor));
        String query = "audienceId = ?1 and status = ?2 and seq > ?3"
                + (activationId == null || activationId.isBlank() ? "" : " and activationId = ?4") + " order by seq";
        Object[] parameters = activationId == null || activationId.isBlank()
                ? new Object[]{audienceId, DeliveryStatus.FAILED.value, after}
                : new Object[]{audienceId, DeliveryStatus.FAILED.value, after, activationId};
        return DeliveryEvent.<DeliveryEvent>find(query, parameters).page(0, pageSize + 1).list()
                .map(rows -> Page.of(rows, pageSize, row -> row.seq.toString(), DeadLetter::of));
    }

    /**
     * Puts the failed events matching {@code request} (at least one filter) back to pending, due now, with the same
     * message id and a fresh retry window, except those superseded: a failed event of an (activation, profile) that
     * has a later event, whatever its step, is not sent again (events.md: a profile's events reach the destination
     * in the order produced). It stays failed, its reason naming the event that followed it. Answers how many of each;
     * together they are the failed events matched. The overview's steps still add up: replayed events move from
     * failed delivery to pending retry, superseded ones stay failed.
     */
    @WithTransaction
    public Uni<Replayed> replay(ReplayRequest request) {
        ReplayRequest.Checked checked = ReplayRequest.check(request);
        StringBuilder filters = new StringBuilder();
        Map<String, Object> parameters = new LinkedHashMap<>();
        condition(filters, parameters, "audience_id = :audienceId", "audienceId", checked.audienceId());
        condition(filters, parameters, "activation_id = :activationId", "activationId", checked.activationId());
        condition(filters, parameters, "run_id = :runId", "runId", checked.runId());
        condition(filters, parameters, "created_at >= :from", "from", checked.fromInstant());
        condition(filters, parameters, "created_at < :to", "to", checked.toInstant());
        parameters.put("now", Instant.now());
        return Panache.getSession().chain(session -> {
            var replay = session.createNativeQuery(REPLAY.formatted(filters), Object[].class);
            parameters.forEach(replay::setParameter);
            return replay.getSingleResult();
        }).map(counts -> new Replayed(((Number) counts[0]).intValue(), ((Number) counts[1]).intValue()));
    }

    private static long afterSeq(String sortKey) {
        if (sortKey == null) {
            return 0;
        }
        try {
            return Long.parseLong(sortKey);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("/cursor", "not a cursor this API gave out");
        }
    }

    private static void condition(StringBuilder sql, Map<String, Object> parameters, String condition, String name, Object value) {
        if (value != null) {
            sql.append(" and ").append(condition);
            parameters.put(name, value);
        }
    }

    static Instant instant(String pointer, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(pointer, "an ISO-8601 instant, e.g. 2026-11-24T08:00:00Z"));
            return null;
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
