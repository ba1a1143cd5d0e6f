package dev.linkedaudiences.audience.destination;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The outgoing URL policy of events.md, checked when a destination is saved so that a bad URL is refused at once
 * instead of failing every event: {@code https} only (plain {@code http} when {@code delivery.url-policy.allow-http}),
 * and no loopback, private, link-local, wildcard or multicast target, on any address the host resolves to, unless
 * the host is in {@code delivery.url-policy.allowed-hosts}. The keys are delivery-service's, which checks again at
 * send time: one setting serves both.
 * <p>
 * The same rule as delivery-service's {@code UrlPolicy}; it belongs in contracts once that module may hold it.
 */
@ApplicationScoped
public class DestinationUrlPolicy {
    private final boolean allowHttp;
    private final Set<String> allowedHosts;

    public DestinationUrlPolicy(@ConfigProperty(name = "delivery.url-policy.allow-http", defaultValue = "false") boolean allowHttp,
                                @ConfigProperty(name = "delivery.url-policy.allowed-hosts") Optional<List<String>> allowedHosts) {
        this.allowHttp = allowHttp;
        this.allowedHosts = allowedHosts.orElse(List.of()).stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** Why {@code url} may not be called, or empty when it may. */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return Optional.of("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            return Optional.of(allowHttp ? "an http or https URL" : "an https URL");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return Optional.of("a URL with a host");
        }
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (allowedHosts.contains(bareHost.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(bareHost)) {
                if (isInternal(address)) {
                    return Optional.of(host + " is a loopback, private or link-local address, which is not allowed");
                }
            }
        } catch (UnknownHostException e) {
            // Not resolvable now (a DNS hiccup must not refuse a good URL): delivery-service checks again at send time.
        }
        return Optional.empty();
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc;
        }
        return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    }
}
