package dev.linkedaudiences.delivery.activation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkedaudiences.contracts.secret.SecretBox;
import dev.linkedaudiences.contracts.secret.SecretException;
import dev.linkedaudiences.contracts.secret.SecretSettings;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;

import java.io.UncheckedIOException;
import java.util.Map;

/**
 * At start, seals every destination secret {@code activation_state} still holds in clear (stored before secrets were
 * sealed) or sealed with a key that is no longer the current one (docs/adr/0008). A service without
 * {@code secrets.keys} fails here, at start, rather than at its first send.
 */
@ApplicationScoped
public class ActivationSecretsResealer {
    private final ObjectMapper json;
    private final SecretBox secrets;

    public ActivationSecretsResealer(ObjectMapper json, SecretBox secrets) {
        this.json = json;
        this.secrets = secrets;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        int resealed = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(this::resealAll));
        if (resealed > 0) {
            Log.infof("Sealed the destination secrets of %d activation(s) with the current key", resealed);
        }
    }

    /** Reseals what needs it, in the current transaction; answers how many activations changed. */
    public Uni<Integer> resealAll() {
        return ActivationState.<ActivationState>findAll().withLock(LockModeType.PESSIMISTIC_WRITE).list().map(all -> {
            int changed = 0;
            for (ActivationState activation : all) {
                Map<String, String> stored = activation.storedSettings(json);
                try {
                    if (SecretSettings.needReseal(stored, secrets)) {
                        activation.settings = write(SecretSettings.sealed(stored, secrets));
                        changed++;
                    }
                } catch (SecretException e) {
                    // One unreadable value must not keep the service from starting; its sends say why they fail.
                    Log.warnf("Activation %s keeps its destination secrets as they are: %s", activation.id, e.getMessage());
                }
            }
            return changed;
        });
    }

    private String write(Map<String, String> settings) {
        try {
            return json.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
