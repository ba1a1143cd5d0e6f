package dev.linkedaudiences.contracts.url;

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
 * The outgoing URL policy of events.md, one rule for audience-service (a destination is refused when saved) and
 * delivery-service (checked again before each send): {@code https} only (plain {@code http} when allowed, for tests
 * and the demo), and no loopback, private (RFC 1918, IPv6 unique-local, carrier-grade NAT), link-local, wildcard or
 * multicast target, on any address the host resolves to, unless the host is allow-listed. Both services read it from
 * {@code delivery.url-policy.allow-http} and {@code delivery.url-policy.allowed-hosts}.
 * <p>
 * The host is resolved when checked; the HTTP client resolves it again when connecting, so a DNS answer that
 * changes in between (rebinding) is not caught: the policy stops configuration mistakes and casual misuse.
 */
public final class OutgoingUrlPolicy {
    private final boolean allowHttp;
    private final Set<String> allowedHosts;

    public OutgoingUrlPolicy(boolean allowHttp, List<String> allowedHosts) {
        this.allowHttp = allowHttp;
        this.allowedHosts = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Why {@code url} may not be called ("only https URLs", ...), or empty when it may. */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException | NullPointerException e) {
            return Optional.of("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            return Optional.of(allowHttp ? "only http and https URLs" : "only https URLs");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return Optional.of("no host");
        }
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (allowedHosts.contains(bareHost.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(bareHost)) {
                if (isInternal(address)) {
                    return Optional.of(host + " is a loopback, private or link-local address (" + address.getHostAddress() + ")");
                }
            }
        } catch (UnknownHostException e) {
            // Not resolvable now (a DNS hiccup must not refuse a good URL): the connection attempt fails as a network
            // error, retried like any other.
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
            return (bytes[0] & 0xfe) == 0xfc; // fc00::/7, unique local
        }
        return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64; // 100.64.0.0/10, carrier-grade NAT
    }
}
