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
        int pageSize = Page.limit(integer("/limit", limit));
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
     * message id and a fresh retry window; answers how many. The overview's steps still add up: the events move
     * from failed delivery to pending retry.
     */
    @WithTransaction
    public Uni<Replayed> replay(ReplayRequest request) {
        ReplayRequest.Checked checked = ReplayRequest.check(request);
        StringBuilder sql = new StringBuilder("""
                update delivery_event set status = 'pending', reason = null, attempts = 0, next_attempt_at = :now,
                       finished_at = null, outcome_published = false, retry_since = :now
                where status = 'failed'""");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("now", Instant.now());
        condition(sql, parameters, "audience_id = :audienceId", "audienceId", checked.audienceId());
        condition(sql, parameters, "activation_id = :activationId", "activationId", checked.activationId());
        condition(sql, parameters, "run_id = :runId", "runId", checked.runId());
        condition(sql, parameters, "created_at >= :from", "from", checked.fromInstant());
        condition(sql, parameters, "created_at < :to", "to", checked.toInstant());
        return Panache.getSession().chain(session -> {
            var update = session.createNativeQuery(sql.toString());
            parameters.forEach(update::setParameter);
            return update.executeUpdate();
        }).map(Replayed::new);
    }

    private static Integer integer(String pointer, String value) {
        try {
            return value == null || value.isBlank() ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(pointer, "a whole number");
        }
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
