package dev.linkedaudiences.delivery.destination;

import dev.linkedaudiences.contracts.url.OutgoingUrlPolicy;
import dev.linkedaudiences.delivery.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/**
 * The {@link OutgoingUrlPolicy}, checked before each send ({@code delivery.url-policy.*}): a destination's settings
 * could otherwise make this service call its own network. A refused URL fails the event as
 * {@code url_not_allowed: <why>}, never sent.
 */
@ApplicationScoped
public class UrlPolicy {
    private final OutgoingUrlPolicy policy;

    @Inject
    public UrlPolicy(DeliveryConfig config) {
        this(config.urlPolicy().allowHttp(), config.urlPolicy().allowedHosts().orElse(List.of()));
    }

    public UrlPolicy(boolean allowHttp, List<String> allowedHosts) {
        this.policy = new OutgoingUrlPolicy(allowHttp, allowedHosts);
    }

    /** Why {@code url} may not be called ({@code url_not_allowed: ...}), or empty when it may. */
    public Optional<String> refusal(String url) {
        return policy.refusal(url).map(why -> "url_not_allowed: " + why);
    }

    /** Throws {@link CannotSend} when {@code url} may not be called; answers it otherwise. */
    public String require(String url) {
        refusal(url).ifPresent(reason -> {
            throw new CannotSend(reason);
        });
        return url;
    }
}
