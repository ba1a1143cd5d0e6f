package dev.linkedaudiences.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** An event reached a final delivery step ({@code successful}, {@code failed}, {@code filtered_*}). */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryOutcome(String messageId, String activationId, String audienceId, String eventName,
                              String step, String reason, Instant at) {
}
