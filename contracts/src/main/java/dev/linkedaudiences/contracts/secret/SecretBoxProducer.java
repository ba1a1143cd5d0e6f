package dev.linkedaudiences.contracts.secret;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;

/**
 * The {@link SecretBox} of {@code secrets.keys}: {@code <keyId>:<base64 of 32 bytes>} entries, comma-separated, the
 * current key first (environment variable {@code SECRETS_KEYS}, which a Kubernetes Secret provides). Read at run time,
 * so that services which never seal anything do not need it; a service that does fails at start without it.
 */
@ApplicationScoped
public class SecretBoxProducer {
    public static final String KEYS = "secrets.keys";

    @Produces
    @Singleton
    SecretBox secretBox() {
        List<String> keys = ConfigProvider.getConfig().getOptionalValues(KEYS, String.class)
                .orElseThrow(() -> new IllegalStateException(KEYS + " (env SECRETS_KEYS) is not set: destination secrets"
                        + " are sealed with it. Generate one with: echo \"k1:$(head -c 32 /dev/urandom | base64)\""));
        return SecretBox.of(keys);
    }
}
