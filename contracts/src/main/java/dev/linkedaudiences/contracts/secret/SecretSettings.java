package dev.linkedaudiences.contracts.secret;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Which destination settings are secrets, and the settings with their secrets sealed or opened. The secrets are
 * {@code apiKey} (Iterable, Braze, Customer.io), {@code secret} (the webhook's signing key) and every
 * {@code header.<Name>} value (a webhook's {@code Authorization}, say). audience-service seals them when it stores
 * them; they stay sealed in its database, its outbox, on activation-definitions and in delivery-service's database,
 * and delivery-service opens them only to send.
 */
public final class SecretSettings {
    public static final String HEADER_PREFIX = "header.";
    public static final Set<String> NAMES = Set.of("apiKey", "secret");

    private SecretSettings() {
    }

    public static boolean isSecret(String name) {
        return name != null && (NAMES.contains(name) || name.startsWith(HEADER_PREFIX));
    }

    /** The settings with every secret sealed with the current key (plain ones sealed, other keys' sealed again). */
    public static Map<String, String> sealed(Map<String, String> settings, SecretBox box) {
        return mapSecrets(settings, box::reseal);
    }

    /** The settings with every secret opened, to send. */
    public static Map<String, String> opened(Map<String, String> settings, SecretBox box) {
        return mapSecrets(settings, box::open);
    }

    /** Whether a secret of these settings is plain or sealed with an old key. */
    public static boolean needReseal(Map<String, String> settings, SecretBox box) {
        return settings.entrySet().stream().anyMatch(e -> isSecret(e.getKey()) && box.needsReseal(e.getValue()));
    }

    /** The secret values of opened settings, by setting name. */
    public static Map<String, String> secretValues(Map<String, String> settings) {
        Map<String, String> secrets = new TreeMap<>();
        settings.forEach((name, value) -> {
            if (isSecret(name) && value != null && !value.isEmpty()) {
                secrets.put(name, value);
            }
        });
        return secrets;
    }

    private static Map<String, String> mapSecrets(Map<String, String> settings, UnaryOperator<String> secret) {
        if (settings == null) {
            return null;
        }
        Map<String, String> mapped = new LinkedHashMap<>();
        settings.forEach((name, value) -> mapped.put(name, isSecret(name) ? secret.apply(value) : value));
        return mapped;
    }
}
