package dev.linkedaudiences.delivery.overview;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** The delivery overview of an audience, with the filters it was computed for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryOverview(String audienceId, String activationId, String eventName, Instant from, Instant to,
                               Steps steps) {
}
