package dev.linkedaudiences.audience.destination;

import dev.linkedaudiences.audience.activation.ActivationRecord;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
    private final DestinationUrlPolicy urlPolicy;

    public DestinationService(JsonText json, DestinationUrlPolicy urlPolicy) {
        this.json = json;
        this.urlPolicy = urlPolicy;
    }

    @WithTransaction
    public Uni<DestinationView> create(DestinationRequest request) {
        List<FieldError> errors = new ArrayList<>();
        DestinationType type = DestinationType.of(request.type()).orElse(null);
        if (type == null) {
            errors.add(new FieldError("/type", "type is one of " + new TreeSet<>(DestinationType.SUPPORTED.keySet())));
        }
        DestinationRecord d = new DestinationRecord();
        d.id = UUID.randomUUID().toString();
        d.type = request.type();
        d.createdAt = Instant.now();
        return checkAndSet(d, type, request, request.settings() == null ? Map.of() : request.settings(), errors)
                .flatMap(checked -> checked.<DestinationRecord>persist()).map(this::view);
    }

    /**
     * Renames the destination and replaces its settings; a secret the request leaves out keeps its stored value
     * (secrets are write-only, so a client cannot send back what it never saw). The type cannot change.
     */
    @WithTransaction
    public Uni<DestinationRecord> update(String id, DestinationRequest request) {
        return find(id).flatMap(d -> {
            List<FieldError> errors = new ArrayList<>();
            if (request.type() != null && !request.type().equals(d.type)) {
                errors.add(new FieldError("/type", "a destination's type cannot change (it is " + d.type + "); create another destination"));
            }
            DestinationType type = DestinationType.of(d.type).orElseThrow();
            Map<String, String> settings = new HashMap<>(request.settings() == null ? Map.of() : request.settings());
            settingsWithSecrets(d).forEach((name, value) -> {
                if (type.secretSettings().contains(name)) {
                    settings.putIfAbsent(name, value);
                }
            });
            return checkAndSet(d, type, request, settings, errors);
        });
    }

    /** Checks name and settings, all problems at once; sets them on {@code d} when there are none. */
    private Uni<DestinationRecord> checkAndSet(DestinationRecord d, DestinationType type, DestinationRequest request,
                                              Map<String, String> settings, List<FieldError> errors) {
        if (request.name() == null || request.name().isBlank()) {
            errors.add(new FieldError("/name", "name is required"));
        }
        if (type != null) {
            errors.addAll(checkSettings(type, settings));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ApiException.invalid(errors));
        }
        d.name = request.name();
        d.settings = json.write(settings);
        return Uni.createFrom().item(d);
    }

    /** Deletes a destination no activation uses (409 otherwise: its activations would have nowhere to send). */
    @WithTransaction
    public Uni<Void> delete(String id) {
        return find(id).flatMap(d -> ActivationRecord.count("destinationId", id).flatMap(using -> using > 0
                ? Uni.createFrom().failure(ApiException.conflict("destination " + id + " is used by " + using
                + " activation(s); delete them first"))
                : d.delete()));
    }

    /** Every problem of {@code settings} for {@code type}, each at {@code /settings/<name>}. */
    List<FieldError> checkSettings(DestinationType type, Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        type.requiredSettings().stream().filter(s -> settings.get(s) == null || settings.get(s).isBlank())
                .forEach(s -> errors.add(new FieldError("/settings/" + s, s + " is required")));
        settings.forEach((name, value) -> {
            String pointer = "/settings/" + name;
            if (name.startsWith(DestinationType.RATE_LIMIT_PREFIX)) {
                String endpoint = name.substring(DestinationType.RATE_LIMIT_PREFIX.length());
                if (!type.rateLimitedEndpoints().contains(endpoint)) {
                    errors.add(new FieldError(pointer, "rate limits are set for " + new TreeSet<>(type.rateLimitedEndpoints())));
                } else if (!positiveNumber(value)) {
                    errors.add(new FieldError(pointer, "requests per second, a positive number"));
                }
            } else if (name.startsWith(DestinationType.HEADER_PREFIX) && type.headers()) {
                if (name.substring(DestinationType.HEADER_PREFIX.length()).isBlank() || value == null) {
                    errors.add(new FieldError(pointer, "a header name and a value"));
                }
            } else if (name.equals(DestinationType.RETRY_WINDOW)) {
                if (!positiveDuration(value)) {
                    errors.add(new FieldError(pointer, "an ISO-8601 duration, e.g. PT4H"));
                }
            } else if (!type.requiredSettings().contains(name) && !type.optionalSettings().contains(name)) {
                errors.add(new FieldError(pointer, "unknown setting for " + type.type()));
            } else if (type.choices().containsKey(name) && value != null && !type.choices().get(name).contains(value)) {
                errors.add(new FieldError(pointer, name + " is one of " + new TreeSet<>(type.choices().get(name))));
            } else if (type.urlSettings().contains(name) && value != null && !value.isBlank()) {
                urlPolicy.refusal(value).ifPresent(why -> errors.add(new FieldError(pointer, name + " is not allowed: " + why)));
            }
        });
        return errors;
    }

    private static boolean positiveNumber(String value) {
        try {
            double number = Double.parseDouble(value.strip());
            return number > 0 && Double.isFinite(number);
        } catch (NumberFormatException | NullPointerException e) {
            return false;
        }
    }

    private static boolean positiveDuration(String value) {
        try {
            Duration duration = Duration.parse(value.strip());
            return !duration.isNegative() && !duration.isZero();
        } catch (DateTimeParseException | NullPointerException e) {
            return false;
        }
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
