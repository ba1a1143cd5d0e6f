package dev.linkedaudiences.delivery.activation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.Topics;
import dev.linkedaudiences.contracts.event.ActivationChanged;
import dev.linkedaudiences.contracts.secret.SecretBox;
import dev.linkedaudiences.contracts.secret.SecretSettings;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.util.Map;

/**
 * Keeps {@link ActivationState} in step with activation-definitions. Records carry secrets, sealed by
 * audience-service (docs/adr/0008); they are stored sealed, and one that arrives in clear (a record announced before
 * secrets were sealed) is sealed before it is stored. Only ids are logged, never the record itself.
 */
@ApplicationScoped
public class ActivationDefinitionsConsumer {
    private final ObjectMapper json;
    private final SecretBox secrets;

    public ActivationDefinitionsConsumer(ObjectMapper json, SecretBox secrets) {
        this.json = json;
        this.secrets = secrets;
    }

    @Incoming(Topics.ACTIVATION_DEFINITIONS)
    public Uni<Void> consume(ActivationChanged change) {
        if (change == null || change.activationId() == null || change.audienceId() == null) {
            // Tombstones of the compacted topic and unreadable records end up here.
            Log.warn("Skipping an unusable activation-definitions record");
            return Uni.createFrom().voidItem();
        }
        Instant changedAt = change.changedAt() != null ? change.changedAt() : Instant.now();
        Log.debugf("Activation %s changed (enabled=%s, status=%s, deleted=%s)", change.activationId(),
                change.enabled(), change.status(), change.deleted());
        return Panache.withTransaction(() -> change.deleted()
                ? ActivationState.forget(change.activationId(), changedAt)
                : ActivationState.apply(change, settingsJson(change), changedAt));
    }

    private String settingsJson(ActivationChanged change) {
        Map<String, String> settings = change.destination() == null || change.destination().settings() == null
                ? Map.of() : change.destination().settings();
        try {
            return json.writeValueAsString(SecretSettings.sealed(settings, secrets));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("destination settings of activation " + change.activationId() + " are not JSON");
        }
    }
}
