package dev.linkedaudiences.audience.destination;

import dev.linkedaudiences.contracts.url.OutgoingHeaders;
import dev.linkedaudiences.contracts.url.OutgoingUrlPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * The {@link OutgoingUrlPolicy}, checked when a destination is saved so that a bad URL is refused at once instead of
 * failing every event (a host that does not resolve now is refused too), and the headers a destination adds. The keys
 * are delivery-service's, which checks again at send time: one setting serves both.
 */
@ApplicationScoped
public class DestinationUrlPolicy {
    private final OutgoingUrlPolicy policy;

    public DestinationUrlPolicy(@ConfigProperty(name = "delivery.url-policy.allow-http", defaultValue = "false") boolean allowHttp,
                                @ConfigProperty(name = "delivery.url-policy.allowed-hosts") Optional<List<String>> allowedHosts) {
        this.policy = new OutgoingUrlPolicy(allowHttp, allowedHosts.orElse(List.of()));
    }

    /** Why {@code url} may not be called, or empty when it may. */
    public Optional<String> refusal(String url) {
        return policy.refusal(url);
    }

    /** Why the header {@code name: value} may not be added to a destination's requests ({@link OutgoingHeaders}), or empty. */
    public Optional<String> headerRefusal(String name, String value) {
        return OutgoingHeaders.refusal(name, value);
    }
}
