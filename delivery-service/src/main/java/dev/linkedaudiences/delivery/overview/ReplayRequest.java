package dev.linkedaudiences.delivery.overview;

import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which dead letters to replay: any of audience, activation, run, and a range of arrival times ({@code from}
 * inclusive, {@code to} exclusive, ISO-8601 instants); at least one. A replay of "everything" must be asked for
 * with a time range.
 */
@RegisterForReflection
public record ReplayRequest(String audienceId, String activationId, String runId, String from, String to) {

    /** The request with blanks as nulls and the range parsed. */
    record Checked(String audienceId, String activationId, String runId, Instant fromInstant, Instant toInstant) {
    }

    static Checked check(ReplayRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Instant from = DeliveryOverviewService.instant("/from", request.from(), errors);
        Instant to = DeliveryOverviewService.instant("/to", request.to(), errors);
        if (from != null && to != null && !to.isAfter(from)) {
            errors.add(new FieldError("/to", "to must be after from"));
        }
        String audienceId = DeliveryOverviewService.blankToNull(request.audienceId());
        String activationId = DeliveryOverviewService.blankToNull(request.activationId());
        String runId = DeliveryOverviewService.blankToNull(request.runId());
        if (errors.isEmpty() && audienceId == null && activationId == null && runId == null && from == null && to == null) {
            for (String field : List.of("/audienceId", "/activationId", "/runId", "/from", "/to")) {
                errors.add(new FieldError(field, "give at least one of audienceId, activationId, runId, from, to"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new Checked(audienceId, activationId, runId, from, to);
    }
}
