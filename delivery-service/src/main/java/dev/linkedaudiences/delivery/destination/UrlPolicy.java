package dev.linkedaudiences.delivery.destination;

import dev.linkedaudiences.contracts.url.OutgoingUrlPolicy;
import dev.linkedaudiences.delivery.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.UnknownHostException;
import java.util.List;

/**
 * The {@link OutgoingUrlPolicy}, checked before each send ({@code delivery.url-policy.*}): a destination's settings
 * could otherwise make this service call its own network. A refused URL fails the event as
 * {@code url_not_allowed: <why>}, never sent. The host is resolved once per send and the request goes to the address
 * that was checked ({@link BatchSender}, {@link JsonPost}): a name that answers differently the second time
 * (DNS rebinding) is never asked twice.
 */
@ApplicationScoped
public class UrlPolicy {
    private final OutgoingUrlPolicy policy;

    @Inject
    public UrlPolicy(DeliveryConfig config) {
        this(config.urlPolicy().allowHttp(), config.urlPolicy().allowedHosts().orElse(List.of()));
    }

    public UrlPolicy(boolean allowHttp, List<String> allowedHosts) {
        this(allowHttp, allowedHosts, OutgoingUrlPolicy.Resolver.SYSTEM);
    }

    /** For tests: names resolved by {@code resolver} instead of the system's. */
    public UrlPolicy(boolean allowHttp, List<String> allowedHosts, OutgoingUrlPolicy.Resolver resolver) {
        this.policy = new OutgoingUrlPolicy(allowHttp, allowedHosts, resolver);
    }

    /** The checks that need no lookup; throws {@link CannotSend} ({@code url_not_allowed: ...}) when one fails. */
    public OutgoingUrlPolicy.Target require(String url) {
        try {
            return policy.target(url);
        } catch (OutgoingUrlPolicy.Refused e) {
            throw new CannotSend("url_not_allowed: " + e.getMessage());
        }
    }

    /**
     * The checked address to connect to; blocks on DNS when the host is a name (call it on a worker). Throws
     * {@link CannotSend} when an address the name resolves to is not public.
     *
     * @throws UnknownHostException when the name does not resolve (now: a network error, retried)
     */
    public OutgoingUrlPolicy.Resolved resolve(OutgoingUrlPolicy.Target target) throws UnknownHostException {
        try {
            return policy.resolve(target);
        } catch (OutgoingUrlPolicy.Refused e) {
            throw new CannotSend("url_not_allowed: " + e.getMessage());
        }
    }
}
