package dev.linkedaudiences.audience.destination;

import dev.linkedaudiences.audience.activation.ActivationRecord;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.input.TextRules;
import dev.linkedaudiences.contracts.problem.ApiException;
import dev.linkedaudiences.contracts.problem.FieldError;
import dev.linkedaudiences.contracts.secret.SecretBox;
import dev.linkedaudiences.contracts.secret.SecretSettings;
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
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Destination instances and their settings. Secrets (a type's {@link DestinationType#secretSettings()} and every
 * {@code header.<Name>} value, {@link SecretSettings}) are write-only: stored sealed by the {@link SecretBox}, never
 * shown, kept when an update leaves them out, except that a new address (a URL setting that changes) needs them
 * again, so that a stored key never goes to a host it was not given for.
 */
@ApplicationScoped
public class DestinationService {
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, String>> SETTINGS = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };
    private final JsonText json;
    private final DestinationUrlPolicy urlPolicy;
    private final SecretBox secrets;

    public DestinationService(JsonText json, DestinationUrlPolicy urlPolicy, SecretBox secrets) {
        this.json = json;
        this.urlPolicy = urlPolicy;
        this.secrets = secrets;
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
     * (secrets are write-only, so a client cannot send back what it never saw), and a {@code header.<Name>} sent as
     * null is removed. When a URL setting changes, every stored secret must be sent again (400 at its pointer): the
     * stored ones were given for the old address. The type cannot change.
     */
    @WithTransaction
    public Uni<DestinationRecord> update(String id, DestinationRequest request) {
        return find(id).flatMap(d -> {
            List<FieldError> errors = new ArrayList<>();
            if (request.type() != null && !request.type().equals(d.type)) {
                errors.add(new FieldError("/type", "a destination's type cannot change (it is " + d.type + "); create another destination"));
            }
            DestinationType type = DestinationType.of(d.type).orElseThrow();
            Map<String, String> sent = request.settings() == null ? Map.of() : request.settings();
            Map<String, String> settings = new HashMap<>(sent);
            Map<String, String> stored = storedSettings(d);
            boolean addressChanged = type.urlSettings().stream()
                    .anyMatch(url -> !Objects.equals(address(stored.get(url)), address(sent.get(url))));
            stored.forEach((name, value) -> {
                if (isSecret(type, name) && !sent.containsKey(name)) {
                    if (addressChanged) {
                        errors.add(new FieldError("/settings/" + name, name + " must be sent again when the destination's "
                                + String.join(" or ", new TreeSet<>(type.urlSettings())) + " changes"));
                    } else {
                        settings.put(name, value);
                    }
                }
            });
            settings.entrySet().removeIf(e -> e.getKey().startsWith(DestinationType.HEADER_PREFIX) && e.getValue() == null);
            return checkAndSet(d, type, request, settings, errors);
        });
    }

    /**
     * What a URL setting points at, for comparing an update with what is stored: scheme, host (both in lower case),
     * port and path without its trailing slash, query; the text itself when it is not a URL; null when unset.
     */
    static String address(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return url.strip();
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            return uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT)
                    + ":" + uri.getPort() + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (java.net.URISyntaxException notAUrl) {
            return url.strip();
        }
    }

    /** Whether a setting of {@code type} is a secret: write-only, sealed at rest. */
    static boolean isSecret(DestinationType type, String name) {
        return type.secretSettings().contains(name) || SecretSettings.isSecret(name);
    }

    /** Checks name and settings, all problems at once; sets them on {@code d} when there are none. */
    private Uni<DestinationRecord> checkAndSet(DestinationRecord d, DestinationType type, DestinationRequest request,
                                              Map<String, String> settings, List<FieldError> errors) {
        if (request.name() == null || request.name().isBlank()) {
            errors.add(new FieldError("/name", "name is required"));
        }
        TextRules.requireAtMost(errors, "/name", request.name(), 200);
        if (type != null) {
            errors.addAll(checkSettings(type, settings));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ApiException.invalid(errors));
        }
        d.name = request.name();
        d.settings = json.write(SecretSettings.sealed(settings, secrets));
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
                } else {
                    urlPolicy.headerRefusal(name.substring(DestinationType.HEADER_PREFIX.length()), value)
                            .ifPresent(why -> errors.add(new FieldError(pointer, why)));
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

    /**
     * All settings, secrets sealed: what the activation-definitions record carries (delivery-service holds the same
     * keys and opens them to send, docs/adr/0008). A legacy plain secret is sealed on the way.
     */
    public Map<String, String> settingsForDelivery(DestinationRecord d) {
        return SecretSettings.sealed(json.read(d.settings, SETTINGS), secrets);
    }

    /** All settings, secrets opened: for this service's own checks only, never shown nor sent. */
    private Map<String, String> storedSettings(DestinationRecord d) {
        return SecretSettings.opened(json.read(d.settings, SETTINGS), secrets);
    }

    /**
     * Seals again the secrets of {@code d} that are plain (stored before they were sealed) or sealed with an older
     * key; answers whether anything changed.
     */
    boolean reseal(DestinationRecord d) {
        Map<String, String> stored = json.read(d.settings, SETTINGS);
        if (!SecretSettings.needReseal(stored, secrets)) {
            return false;
        }
        d.settings = json.write(SecretSettings.sealed(stored, secrets));
        return true;
    }

    DestinationView view(DestinationRecord d) {
        DestinationType type = DestinationType.of(d.type).orElseThrow();
        Map<String, String> shown = new HashMap<>(json.read(d.settings, SETTINGS));
        Set<String> secretsSet = new TreeSet<>();
        shown.keySet().removeIf(name -> isSecret(type, name) && secretsSet.add(name));
        return new DestinationView(d.id, d.name, d.type, shown, secretsSet, d.createdAt);
    }
}
