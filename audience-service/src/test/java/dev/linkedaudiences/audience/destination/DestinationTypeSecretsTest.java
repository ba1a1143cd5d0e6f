package dev.linkedaudiences.audience.destination;

import dev.linkedaudiences.contracts.secret.SecretSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A type's secrets are hidden by this service but sealed by {@link SecretSettings}, which delivery-service shares:
 * a secret it did not know would be hidden yet stored and sent in clear.
 */
class DestinationTypeSecretsTest {

    @Test
    void everySecretOfEveryTypeIsOneSecretSettingsSeals() {
        DestinationType.SUPPORTED.values().forEach(type -> type.secretSettings().forEach(name ->
                assertTrue(SecretSettings.isSecret(name), type.type() + "." + name + " is not sealed by SecretSettings")));
        assertTrue(SecretSettings.isSecret("header.Authorization"));
    }
}
