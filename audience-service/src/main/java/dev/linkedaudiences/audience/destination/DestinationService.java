package dev.linkedaudiences.audience.destination;

import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Destination instances and their settings. */
@ApplicationScoped
public class DestinationService {
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, String>> SETTINGS = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };
    private final JsonText json;

    public DestinationService(JsonText json) {
        this.json = json;
    }

    @WithTransaction
    public Uni<DestinationView> create(DestinationRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.name() == null || request.name().isBlank()) {
            errors.add(new FieldError("/name", "name is required"));
        }
        DestinationType type = DestinationType.of(request.type()).orElse(null);
        if (type == null) {
            errors.add(new FieldError("/type", "type is one of " + DestinationType.SUPPORTED.keySet()));
        } else {
            Map<String, String> settings = request.settings() == null ? Map.of() : request.settings();
            type.requiredSettings().stream().filter(s -> settings.get(s) == null || settings.get(s).isBlank())
                    .forEach(s -> errors.add(new FieldError("/settings/" + s, s + " is required")));
            settings.keySet().stream().filter(s -> !type.requiredSettings().contains(s) && !type.optionalSettings().contains(s))
                    .forEach(s -> errors.add(new FieldError("/settings/" + s, "unknown setting for " + type.type())));
            String dataCenter = settings.get("dataCenter");
            if (dataCenter != null && !Set.of("us", "eu").contains(dataCenter)) {
                errors.add(new FieldError("/settings/dataCenter", "dataCenter is us or eu"));
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ApiException.invalid(errors));
        }
        DestinationRecord d = new DestinationRecord();
        d.id = UUID.randomUUID().toString();
        d.name = request.name();
        d.type = request.type();
        d.settings = json.write(request.settings());
        d.createdAt = Instant.now();
        return d.<DestinationRecord>persist().map(this::view);
    }

    @WithSession
    public Uni<List<DestinationView>> list() {
        return DestinationRecord.<DestinationRecord>find("order by createdAt").list().map(all -> all.stream().map(this::view).toList());
    }

    @WithSession
    public Uni<DestinationView> get(String id) {
        return find(id).map(this::view);
    }

    public Uni<DestinationRecord> find(String id) {
        return DestinationRecord.<DestinationRecord>findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("destination " + id));
    }

    /** All settings, secrets included: only for the activation-definitions record delivery-service needs. */
    public Map<String, String> settingsWithSecrets(DestinationRecord d) {
        return json.read(d.settings, SETTINGS);
    }

    DestinationView view(DestinationRecord d) {
        DestinationType type = DestinationType.of(d.type).orElseThrow();
        Map<String, String> shown = new HashMap<>(settingsWithSecrets(d));
        Set<String> secrets = new TreeSet<>(shown.keySet());
        secrets.retainAll(type.secretSettings());
        shown.keySet().removeAll(type.secretSettings());
        return new DestinationView(d.id, d.name, d.type, shown, secrets, d.createdAt);
    }
}
