package dev.linkedaudiences.compute.message;

import dev.linkedaudiences.compute.activation.ActivationState;
import dev.linkedaudiences.compute.audience.AudienceState;
import dev.linkedaudiences.contracts.Roles;
import dev.linkedaudiences.contracts.api.ActivationMessageRequest;
import dev.linkedaudiences.contracts.event.ActivationEvent;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import java.util.List;

/**
 * {@code POST /api/v1/activation-messages}: the message an activation would send for one profile now, built
 * from the warehouse and the audience's last successful run exactly as a run builds it (a profile trigger's
 * enriched relationships hold the profile's matched entities of that run). delivery-service's test events send it. Its messageId comes from a run id of its own, so it never collides with a real event's.
 * Under {@code each_email} it is the message of the profile's smallest email. A message over 32 KB comes back
 * filtered at source ({@code payload_too_large}) but whole, unlike on Kafka, so that whoever tests it sees what
 * made it too large; delivery-service then does not send it.
 */
@Path("/api/v1/activation-messages")
public class ActivationMessageResource {
    private final ProfileMessages messages;

    public ActivationMessageResource(ProfileMessages messages) {
        this.messages = messages;
    }

    @POST
    @RolesAllowed({Roles.WORKSPACE_OWNER, Roles.ENGAGE_USER})
    public Uni<ActivationEvent> build(ActivationMessageRequest request) {
        List<FieldError> errors = ApiException.requireBody(request).problems();
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return Panache.withSession(() -> ActivationState.<ActivationState>findById(request.activationId())
                .flatMap(activation -> {
                    if (activation == null) {
                        return Uni.createFrom().failure(ApiException.notFound("activation " + request.activationId()));
                    }
                    return AudienceState.<AudienceState>findById(activation.audienceId).map(audience -> {
                        if (audience == null || audience.dataGraph == null) {
                            throw ApiException.notFound("the audience of activation " + activation.id);
                        }
                        return new Object[]{activation, audience};
                    });
                }))
                .flatMap(found -> VertxContextSupport.executeBlocking(() ->
                        messages.message((ActivationState) found[0], (AudienceState) found[1], request.profileId())));
    }
}
