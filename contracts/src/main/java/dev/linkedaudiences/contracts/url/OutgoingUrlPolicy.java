package dev.linkedaudiences.contracts.url;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The outgoing URL policy of events.md, one rule for audience-service (a destination is refused when saved) and
 * delivery-service (checked again before each send): {@code https} only (plain {@code http} when allowed, for tests
 * and the demo), and only public addresses, as a resolver sees the host, unless the host is allow-listed. Both
 * services read it from {@code delivery.url-policy.allow-http} and {@code delivery.url-policy.allowed-hosts}.
 * <p>
 * The host is read the way resolvers read it, not only the way {@link URI} does: a trailing dot is dropped;
 * {@code inet_aton} forms of IPv4 ({@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1}, {@code 127.1}) are
 * addresses, checked as such and refused unless written {@code a.b.c.d}; a host name ending in a number is refused
 * (resolvers disagree on it); IPv6 zone ids, credentials, percent-encoded and non-ASCII hosts are refused;
 * {@code localhost} and {@code *.localhost} are refused without asking DNS. An IPv6 address that embeds an IPv4
 * address (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4
 * {@code 2002::/16}) is checked by the IPv4 address it reaches. See {@link #nonPublic} for the ranges refused.
 * <p>
 * Then every address the host resolves to must be public. {@link #refusal} (when a destination is saved) also
 * refuses a host that does not resolve. At send time a caller {@link #target parses} the URL, {@link #resolve
 * resolves} it once and connects to the {@link Resolved#address() checked address} (keeping the host for
 * {@code Host}, SNI and certificate checks): a DNS answer that changes between the check and the connection
 * (rebinding) never reaches the connection.
 */
public final class OutgoingUrlPolicy {
    /** Looks a host name up: every address it has. The system resolver unless a test supplies another. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;

        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    }

    /** A URL the policy refuses; the message says why (fit for an API error or a dead-letter reason). */
    public static final class Refused extends Exception {
        public Refused(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * A URL that passed every check that needs no lookup.
     *
     * @param host        the normalized host: lower case, no trailing dot, an IPv6 address without brackets
     * @param requestUri  the path and query to request ({@code /} when the URL has no path)
     * @param literal     the address, when the host is one; null for a name
     * @param allowListed whether the host is in {@code allowed-hosts} (its addresses are not checked)
     */
    public record Target(String scheme, String host, int port, String requestUri, InetAddress literal, boolean allowListed) {
        public boolean ssl() {
            return scheme.equals("https");
        }
    }

    /**
     * A URL checked down to the address to connect to.
     *
     * @param address the one address to connect to: checked, and never looked up again
     */
    public record Resolved(Target target, InetAddress address) {
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    private static final Pattern NUMBER = Pattern.compile("0x[0-9a-f]*|[0-9]+");
    private static final Pattern CANONICAL_IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-f:.]+");

    private final boolean allowHttp;
    private final Set<String> allowedHosts;
    private final Resolver resolver;

    public OutgoingUrlPolicy(boolean allowHttp, List<String> allowedHosts) {
        this(allowHttp, allowedHosts, Resolver.SYSTEM);
    }

    public OutgoingUrlPolicy(boolean allowHttp, List<String> allowedHosts, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowedHosts = allowedHosts.stream().map(OutgoingUrlPolicy::normalizedAllowedHost).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /**
     * Why {@code url} may not be called ("only https URLs", ...), or empty when it may: the whole check, lookup
     * included; a host that does not resolve is refused. For a destination being saved (blocks on DNS).
     */
    public Optional<String> refusal(String url) {
        try {
            resolve(target(url));
            return Optional.empty();
        } catch (Refused e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            return Optional.of(hostOf(url) + " does not resolve");
        }
    }

    private String hostOf(String url) {
        try {
            return target(url).host();
        } catch (Refused e) {
            return url;
        }
    }

    /** Every check that needs no lookup: scheme, host syntax, literal addresses, {@code localhost}. */
    public Target target(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException | NullPointerException e) {
            throw new Refused("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new Refused(allowHttp ? "only http and https URLs" : "only https URLs");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new Refused("no host");
        }
        if (authority.contains("@")) {
            throw new Refused("credentials in the URL are not allowed");
        }
        String host;
        String port = "";
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            if (end < 0) {
                throw new Refused("not a URL");
            }
            host = authority.substring(1, end).toLowerCase(Locale.ROOT);
            String rest = authority.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new Refused("not a URL");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
            port = colon < 0 ? "" : authority.substring(colon + 1);
        }
        int portNumber = port(port, scheme);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        if (authority.startsWith("[")) {
            InetAddress address = ipv6Literal(host);
            boolean allowListed = allowedHosts.contains(host);
            Optional<String> why = allowListed ? Optional.empty() : nonPublic(address);
            if (why.isPresent()) {
                throw new Refused("[" + host + "] is not a public address: " + why.get());
            }
            return new Target(scheme, host, portNumber, requestUri, address, allowListed);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1); // the root of DNS: "localhost." is localhost
        }
        if (host.isEmpty()) {
            throw new Refused("no host");
        }
        if (!NAME.matcher(host).matches()) {
            throw new Refused(host + " is not a host name (write an internationalized name in its ASCII xn-- form)");
        }
        boolean allowListed = allowedHosts.contains(host);
        String[] labels = host.split("\\.");
        boolean lastIsNumber = NUMBER.matcher(labels[labels.length - 1]).matches();
        if (!lastIsNumber) {
            if (!allowListed && (host.equals("localhost") || host.endsWith(".localhost"))) {
                throw new Refused(host + " is not a public address: localhost");
            }
            return new Target(scheme, host, portNumber, requestUri, null, allowListed);
        }
        for (String label : labels) {
            if (!NUMBER.matcher(label).matches()) {
                throw new Refused(host + " is not a host name: a name cannot end in a number");
            }
        }
        InetAddress address = ipv4(host, labels);
        if (allowListed) {
            return new Target(scheme, host, portNumber, requestUri, address, true);
        }
        Optional<String> why = nonPublic(address);
        if (why.isPresent()) {
            throw new Refused(host + " is not a public address: " + why.get());
        }
        if (!CANONICAL_IPV4.matcher(host).matches()) {
            throw new Refused(host + " is an IPv4 address in a non-standard form; write it " + address.getHostAddress());
        }
        return new Target(scheme, host, portNumber, requestUri, address, false);
    }

    /**
     * The address to connect to: the literal address, or the first address the host resolves to, once every
     * address it resolves to was found public (an allow-listed host is not checked). Blocks on DNS for a name.
     *
     * @throws UnknownHostException when the name does not resolve
     */
    public Resolved resolve(Target target) throws Refused, UnknownHostException {
        if (target.literal() != null) {
            if (!target.allowListed()) {
                Optional<String> why = nonPublic(target.literal());
                if (why.isPresent()) {
                    throw new Refused(target.host() + " is not a public address: " + why.get()); // checked in target() too
                }
            }
            return new Resolved(target, target.literal());
        }
        List<InetAddress> addresses = resolver.resolve(target.host());
        if (addresses == null || addresses.isEmpty()) {
            throw new UnknownHostException(target.host());
        }
        if (!target.allowListed()) {
            for (InetAddress address : addresses) {
                Optional<String> why = nonPublic(address);
                if (why.isPresent()) {
                    throw new Refused(target.host() + " resolves to " + address.getHostAddress() + ", not a public address: " + why.get());
                }
            }
        }
        return new Resolved(target, addresses.get(0));
    }

    private static int port(String port, String scheme) throws Refused {
        if (port.isEmpty()) {
            return scheme.equals("https") ? 443 : 80;
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new Refused("not a valid port: " + port);
        }
        return Integer.parseInt(port);
    }

    private static InetAddress ipv6Literal(String host) throws Refused {
        if (host.contains("%")) {
            throw new Refused("IPv6 zone ids are not allowed");
        }
        if (!IPV6_LITERAL.matcher(host).matches() || !host.contains(":")) {
            throw new Refused("[" + host + "] is not an IPv6 address");
        }
        try {
            return InetAddress.getByName(host); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new Refused("[" + host + "] is not an IPv6 address");
        }
    }

    /** The address of an {@code inet_aton} form: 1 to 4 numbers (decimal, 0x hex, 0 octal), the last filling the rest. */
    private static InetAddress ipv4(String host, String[] labels) throws Refused {
        if (labels.length > 4) {
            throw new Refused(host + " is not an IPv4 address");
        }
        long value = 0;
        for (int i = 0; i < labels.length; i++) {
            long part = number(host, labels[i]);
            boolean last = i == labels.length - 1;
            long max = last ? (1L << (8 * (4 - i))) - 1 : 255;
            if (part > max) {
                throw new Refused(host + " is not an IPv4 address");
            }
            value = last ? (value << (8 * (4 - i))) | part : (value << 8) | part;
        }
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private static long number(String host, String label) throws Refused {
        try {
            if (label.startsWith("0x")) {
                return label.length() == 2 ? 0 : label.length() > 10 ? Long.MAX_VALUE : Long.parseLong(label.substring(2), 16);
            }
            if (label.length() > 1 && label.startsWith("0")) {
                return label.length() > 12 ? Long.MAX_VALUE : Long.parseLong(label.substring(1), 8);
            }
            return label.length() > 10 ? Long.MAX_VALUE : Long.parseLong(label);
        } catch (NumberFormatException e) {
            throw new Refused(host + " is not an IPv4 address");
        }
    }

    private static String normalizedAllowedHost(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * Why {@code address} is not a public address one may send to, or empty when it is. Refused: IPv4 0.0.0.0/8,
     * 10/8, 100.64/10 (carrier-grade NAT), 127/8, 169.254/16, 172.16/12, 192.0.0/24 (IETF protocol assignments),
     * 192.0.2/24, 198.51.100/24 and 203.0.113/24 (documentation), 192.88.99/24 (6to4 relay), 192.168/16,
     * 198.18/15 (benchmarking), 224/4 (multicast), 240/4 (reserved, with the broadcast address). IPv6: everything
     * outside 2000::/3 (unspecified, loopback, unique local, link-local, site-local, multicast, discard-only, the
     * IPv4-compatible ::/96 and local-use NAT64 64:ff9b:1::/48), 2001::/23 (IETF protocol assignments, Teredo among
     * them), 2001:db8::/32 and 3fff::/20 (documentation); IPv4-mapped, IPv4-translated, NAT64 (64:ff9b::/96) and
     * 6to4 (2002::/16) addresses by the IPv4 address they embed.
     */
    public static Optional<String> nonPublic(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return nonPublicIpv4(b);
        }
        if (!(address instanceof Inet6Address)) {
            return Optional.of("not an IP address");
        }
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        if (firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return embedded(b, 12, "IPv4-mapped");
        }
        if (firstTenZero && b[10] == 0 && b[11] == 0) {
            if (address.isAnyLocalAddress()) {
                return Optional.of("the unspecified address (::)");
            }
            if (address.isLoopbackAddress()) {
                return Optional.of("loopback (::1)");
            }
            return embedded(b, 12, "IPv4-compatible").or(() -> Optional.of("IPv4-compatible (::/96, deprecated)"));
        }
        int first = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int second = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        boolean zeroTo11 = true;
        for (int i = 4; i < 12; i++) {
            zeroTo11 &= b[i] == 0;
        }
        if (first == 0 && second == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0
                && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
            return embedded(b, 12, "IPv4-translated");
        }
        if (first == 0x64 && second == 0xff9b && zeroTo11) {
            return embedded(b, 12, "NAT64"); // 64:ff9b::/96: public IPv4 through a NAT64 gateway
        }
        if (first == 0x2002) {
            return embedded(b, 2, "6to4");
        }
        if ((first & 0xe000) != 0x2000) {
            return Optional.of(ipv6Kind(first) + " (" + address.getHostAddress() + " is outside global unicast 2000::/3)");
        }
        if (first == 0x2001 && second < 0x200) {
            return Optional.of("IETF protocol assignments (2001::/23, Teredo among them)");
        }
        if (first == 0x2001 && second == 0x0db8) {
            return Optional.of("documentation (2001:db8::/32)");
        }
        if (first == 0x3fff && (second & 0xf000) == 0) {
            return Optional.of("documentation (3fff::/20)");
        }
        return Optional.empty();
    }

    private static String ipv6Kind(int first) {
        if ((first & 0xfe00) == 0xfc00) {
            return "unique local (fc00::/7)";
        }
        if ((first & 0xffc0) == 0xfe80) {
            return "link-local (fe80::/10)";
        }
        if ((first & 0xffc0) == 0xfec0) {
            return "site-local (fec0::/10)";
        }
        if ((first & 0xff00) == 0xff00) {
            return "multicast (ff00::/8)";
        }
        return "reserved";
    }

    private static Optional<String> embedded(byte[] b, int offset, String form) {
        byte[] v4 = {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]};
        String dotted = (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "." + (v4[3] & 0xff);
        return nonPublicIpv4(v4).map(why -> why + ", as the " + form + " form of " + dotted);
    }

    private static Optional<String> nonPublicIpv4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0) {
            return Optional.of("\"this network\" (0.0.0.0/8)");
        }
        if (a0 == 10) {
            return Optional.of("private (10.0.0.0/8)");
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Optional.of("carrier-grade NAT (100.64.0.0/10)");
        }
        if (a0 == 127) {
            return Optional.of("loopback (127.0.0.0/8)");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("link-local (169.254.0.0/16)");
        }
        if (a0 == 172 && (a1 & 0xf0) == 16) {
            return Optional.of("private (172.16.0.0/12)");
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return Optional.of("IETF protocol assignments (192.0.0.0/24)");
        }
        if ((a0 == 192 && a1 == 0 && a2 == 2) || (a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return Optional.of("documentation (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)");
        }
        if (a0 == 192 && a1 == 88 && a2 == 99) {
            return Optional.of("6to4 relay anycast (192.88.99.0/24)");
        }
        if (a0 == 192 && a1 == 168) {
            return Optional.of("private (192.168.0.0/16)");
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return Optional.of("benchmarking (198.18.0.0/15)");
        }
        if ((a0 & 0xf0) == 224) {
            return Optional.of("multicast (224.0.0.0/4)");
        }
        if ((a0 & 0xf0) == 240) {
            return Optional.of(a0 == 255 && a1 == 255 && a2 == 255 && (b[3] & 0xff) == 255
                    ? "broadcast (255.255.255.255)" : "reserved (240.0.0.0/4)");
        }
        return Optional.empty();
    }
}
