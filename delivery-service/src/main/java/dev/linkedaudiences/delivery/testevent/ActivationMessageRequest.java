package dev.linkedaudiences.delivery.testevent;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code POST /api/v1/test-events}, and of compute-service's {@code POST /api/v1/activation-messages}. */
@RegisterForReflection
public record ActivationMessageRequest(String activationId, String profileId) {
}
