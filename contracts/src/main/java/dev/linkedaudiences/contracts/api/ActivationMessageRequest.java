package dev.linkedaudiences.contracts.api;

import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of delivery-service's {@code POST /api/v1/test-events}, which passes it on to compute-service's
 * {@code POST /api/v1/activation-messages}: which activation's message, for which profile.
 */
@RegisterForReflection
public record ActivationMessageRequest(String activationId, String profileId) {

    /** Each missing member, at its pointer. */
    public List<FieldError> problems() {
        List<FieldError> errors = new ArrayList<>();
        if (activationId == null || activationId.isBlank()) {
            errors.add(new FieldError("/activationId", "activationId is required"));
        }
        if (profileId == null || profileId.isBlank()) {
            errors.add(new FieldError("/profileId", "profileId is required"));
        }
        return errors;
    }
}
