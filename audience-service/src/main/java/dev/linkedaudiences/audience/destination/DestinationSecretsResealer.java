package dev.linkedaudiences.audience.destination;

import dev.linkedaudiences.audience.activation.ActivationService;
import dev.linkedaudiences.contracts.secret.SecretException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * At start, seals every destination secret still stored in clear (written before secrets were sealed) or sealed with
 * a key that is no longer the current one (a rotation, docs/adr/0008), and announces the destination's activations
 * again, so that activation-definitions and delivery-service hold the sealed values too. A service without
 * {@code secrets.keys} fails here, at start, rather than at the first destination it saves.
 */
@ApplicationScoped
public class DestinationSecretsResealer {
    private final DestinationService destinations;
    private final ActivationService activations;

    public DestinationSecretsResealer(DestinationService destinations, ActivationService activations) {
        this.destinations = destinations;
        this.activations = activations;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        int resealed = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(this::resealAll));
        if (resealed > 0) {
            Log.infof("Sealed the secrets of %d destination(s) with the current key", resealed);
        }
    }

    /** One unreadable value (a key dropped too early) must not keep the service from starting. */
    private boolean reseal(DestinationRecord d) {
        try {
            return destinations.reseal(d);
        } catch (SecretException e) {
            Log.warnf("Destination %s keeps its secrets as they are: %s", d.id, e.getMessage());
            return false;
        }
    }

    /** Reseals what needs it; answers how many destinations changed. */
    Uni<Integer> resealAll() {
        return DestinationRecord.<DestinationRecord>find("order by createdAt").withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list()
                .flatMap(all -> {
                    List<DestinationRecord> changed = all.stream().filter(this::reseal).toList();
                    return changed.isEmpty() ? Uni.createFrom().item(0)
                            : Multi.createFrom().iterable(changed)
                            .onItem().transformToUniAndConcatenate(d -> activations.announceUsersOf(d.id))
                            .collect().last().replaceWith(changed.size());
                });
    }
}
