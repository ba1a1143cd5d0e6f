package dev.linkedaudiences.contracts.url;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutgoingUrlPolicyTest {
    /** This machine has no DNS beyond loopback: names are answered by this table, like a resolver would. */
    private static final Map<String, List<String>> DNS = Map.of(
            "api.iterable.com", List.of("52.4.5.6", "2600:1f18::1"),
            "rest.iad-01.braze.com", List.of("104.16.1.2"),
            "internal.example.com", List.of("10.0.0.7"),
            "mixed.example.com", List.of("93.184.216.34", "192.168.1.9"),
            "metadata.example.com", List.of("169.254.169.254"),
            "v6loop.example.com", List.of("::1"),
            "nat64.example.com", List.of("64:ff9b::a00:1"),
            "localhost.example.com", List.of("127.0.0.1"));

    private final List<String> lookups = new ArrayList<>();
    private final OutgoingUrlPolicy.Resolver resolver = host -> {
        lookups.add(host);
        List<String> answer = DNS.get(host);
        if (answer == null) {
            throw new UnknownHostException(host);
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String a : answer) {
            addresses.add(InetAddress.getByName(a)); // literals: no lookup
        }
        return addresses;
    };
    private final OutgoingUrlPolicy strict = new OutgoingUrlPolicy(false, List.of(), resolver);

    private String refusal(String url) {
        return strict.refusal(url).orElse("(accepted)");
    }

    @Test
    void theFormsOfFinding8AreRefused() {
        Map<String, String> refused = Map.of(
                "https://0x7f000001", "0x7f000001 is not a public address: loopback (127.0.0.0/8)",
                "https://0177.0.0.1", "0177.0.0.1 is not a public address: loopback (127.0.0.0/8)",
                "https://[::127.0.0.1]", "[::127.0.0.1] is not a public address: loopback (127.0.0.0/8), as the IPv4-compatible form of 127.0.0.1",
                "https://[64:ff9b::7f00:1]", "[64:ff9b::7f00:1] is not a public address: loopback (127.0.0.0/8), as the NAT64 form of 127.0.0.1",
                "https://[::1%25lo]", "IPv6 zone ids are not allowed",
                "https://localhost.", "localhost is not a public address: localhost",
                "https://no-such-host.example", "no-such-host.example does not resolve");
        refused.forEach((url, why) -> assertEquals(why, refusal(url), url));
    }

    @Test
    void everyNumericIpv4FormIsReadAsAResolverReadsIt() {
        for (String url : List.of("https://2130706433", "https://0x7f000001", "https://0x7F.0.0.1", "https://0177.0.0.1",
                "https://127.1", "https://127.0.1", "https://0x7f.1", "https://017700000001", "https://127.0.0.1.",
                "https://0x7f000001./x", "https://127.000.000.001")) {
            assertTrue(refusal(url).contains("loopback (127.0.0.0/8)"), url + ": " + refusal(url));
        }
        assertTrue(refusal("https://167772161").contains("private (10.0.0.0/8)"));
        assertTrue(refusal("https://0xa9fea9fe/latest/meta-data").contains("link-local"));
        assertTrue(refusal("https://0").contains("this network"));
        assertTrue(refusal("https://4294967295").contains("broadcast"));
        // A public address in an unusual form: resolvers disagree on such forms, so it is written a.b.c.d.
        assertEquals("1572395042 is an IPv4 address in a non-standard form; write it 93.184.216.34", refusal("https://1572395042"));
        assertEquals("4294967296 is not an IPv4 address", refusal("https://4294967296"));
        assertEquals("1.2.3.4.5 is not an IPv4 address", refusal("https://1.2.3.4.5"));
        assertEquals("0189.0.0.1 is not an IPv4 address", refusal("https://0189.0.0.1"));
        assertEquals("example.0x7f is not a host name: a name cannot end in a number", refusal("https://example.0x7f"));
    }

    @Test
    void everyIpv6FormIsCheckedByTheAddressItReaches() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("https://[::1]/", "loopback (::1)"),
                Map.entry("https://[0:0:0:0:0:0:0:1]/", "loopback (::1)"),
                Map.entry("https://[::]/", "unspecified"),
                Map.entry("https://[::ffff:127.0.0.1]/", "loopback (127.0.0.0/8)"),
                Map.entry("https://[::ffff:7f00:1]/", "loopback (127.0.0.0/8)"),
                Map.entry("https://[::ffff:a9fe:a9fe]/", "link-local (169.254.0.0/16)"),
                Map.entry("https://[::ffff:0:7f00:1]/", "as the IPv4-translated form of 127.0.0.1"),
                Map.entry("https://[::10.0.0.1]/", "as the IPv4-compatible form of 10.0.0.1"),
                Map.entry("https://[::5db8:d822]/", "IPv4-compatible (::/96, deprecated)"),
                Map.entry("https://[64:ff9b::10.0.0.1]/", "as the NAT64 form of 10.0.0.1"),
                Map.entry("https://[64:ff9b:1::5db8:d822]/", "reserved"),
                Map.entry("https://[2002:7f00:1::1]/", "as the 6to4 form of 127.0.0.1"),
                Map.entry("https://[2002:c0a8:101::]/", "as the 6to4 form of 192.168.1.1"),
                Map.entry("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "Teredo"),
                Map.entry("https://[2001:db8::1]/", "documentation"),
                Map.entry("https://[3fff::1]/", "documentation"),
                Map.entry("https://[fd00::1]/", "unique local"),
                Map.entry("https://[fc00::1]/", "unique local"),
                Map.entry("https://[fe80::1]/", "link-local (fe80::/10)"),
                Map.entry("https://[fec0::1]/", "site-local"),
                Map.entry("https://[ff02::1]/", "multicast"),
                Map.entry("https://[100::1]/", "reserved"),
                Map.entry("https://[fe80::1%25eth0]/", "IPv6 zone ids are not allowed"),
                Map.entry("https://[fe80::1%eth0]/", "IPv6 zone ids are not allowed"),
                Map.entry("https://[1:2:3]/", "not a URL"),
                Map.entry("https://[example.com]/", "not a URL"));
        refused.forEach((url, why) -> assertTrue(refusal(url).contains(why), url + ": " + refusal(url)));
        for (String url : List.of("https://[2600:1f18::1]/", "https://[64:ff9b::5db8:d822]/", "https://[2002:5db8:d822::1]/",
                "https://[::ffff:93.184.216.34]/")) {
            assertEquals("(accepted)", refusal(url), url);
        }
    }

    @Test
    void everyIpv4RangeThatIsNotPublicIsRefused() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("0.1.2.3", "this network"), Map.entry("10.255.0.1", "private"), Map.entry("100.64.0.1", "carrier-grade NAT"),
                Map.entry("100.127.255.254", "carrier-grade NAT"), Map.entry("127.255.255.254", "loopback"),
                Map.entry("169.254.169.254", "link-local"), Map.entry("172.16.0.1", "private"), Map.entry("172.31.255.1", "private"),
                Map.entry("192.0.0.170", "IETF protocol"), Map.entry("192.0.2.1", "documentation"),
                Map.entry("198.51.100.7", "documentation"), Map.entry("203.0.113.9", "documentation"),
                Map.entry("192.88.99.1", "6to4 relay"), Map.entry("192.168.1.1", "private"), Map.entry("198.18.0.1", "benchmarking"),
                Map.entry("198.19.255.1", "benchmarking"), Map.entry("224.0.0.1", "multicast"), Map.entry("239.255.255.250", "multicast"),
                Map.entry("240.0.0.1", "reserved"), Map.entry("255.255.255.255", "broadcast"));
        refused.forEach((ip, why) -> assertTrue(refusal("https://" + ip + ":8443/x").contains(why), ip + ": " + refusal("https://" + ip)));
        for (String ip : List.of("93.184.216.34", "100.63.255.255", "100.128.0.1", "172.15.0.1", "172.32.0.1", "192.169.0.1",
                "198.17.0.1", "198.20.0.1", "223.255.255.255", "8.8.8.8", "1.1.1.1")) {
            assertEquals("(accepted)", refusal("https://" + ip), ip);
        }
    }

    @Test
    void namesAreCheckedByEveryAddressTheyResolveTo() {
        assertEquals("(accepted)", refusal("https://api.iterable.com/api/events/track"));
        assertEquals("(accepted)", refusal("https://API.Iterable.com./api/users/update"));
        assertEquals("(accepted)", refusal("https://rest.iad-01.braze.com"));
        assertEquals("internal.example.com resolves to 10.0.0.7, not a public address: private (10.0.0.0/8)",
                refusal("https://internal.example.com/hook"));
        assertTrue(refusal("https://mixed.example.com").startsWith("mixed.example.com resolves to 192.168.1.9"));
        assertTrue(refusal("https://metadata.example.com").contains("link-local"));
        assertTrue(refusal("https://v6loop.example.com").contains("loopback (::1)"));
        assertTrue(refusal("https://nat64.example.com").contains("as the NAT64 form of 10.0.0.1"));
        assertTrue(refusal("https://localhost.example.com").contains("loopback"));
        assertEquals("localhost is not a public address: localhost", refusal("https://LOCALHOST:8443/"));
        assertEquals("api.localhost is not a public address: localhost", refusal("https://api.localhost/"));
        assertEquals("nowhere.invalid does not resolve", refusal("https://nowhere.invalid/"));
        assertEquals(List.of("api.iterable.com", "api.iterable.com", "rest.iad-01.braze.com", "internal.example.com",
                "mixed.example.com", "metadata.example.com", "v6loop.example.com", "nat64.example.com",
                "localhost.example.com", "nowhere.invalid"), lookups, "names are looked up lower case, without the trailing dot; localhost never");
    }

    @Test
    void malformedUrlsAndHostsAreRefused() {
        assertEquals("not a URL", refusal("https://exa mple.com"));
        assertEquals("not a URL", refusal(null));
        assertEquals("no host", refusal("https:///path"));
        assertEquals("no host", refusal("https://./"));
        assertEquals("only https URLs", refusal("http://93.184.216.34/hook"));
        assertEquals("only https URLs", refusal("ftp://93.184.216.34/"));
        assertEquals("only https URLs", refusal("//93.184.216.34/"));
        assertEquals("credentials in the URL are not allowed", refusal("https://api.iterable.com@127.0.0.1/"));
        assertEquals("credentials in the URL are not allowed", refusal("https://user:pass@api.iterable.com/"));
        assertTrue(refusal("https://exämple.com/").contains("is not a host name"));
        assertTrue(refusal("https://ex%41mple.com/").contains("is not a host name"));
        assertTrue(refusal("https://a..b/").contains("is not a host name"));
        assertEquals("not a valid port: 99999", refusal("https://api.iterable.com:99999/"));
        assertEquals("not a valid port: x", refusal("https://api.iterable.com:x/"));
    }

    @Test
    void aTargetKeepsTheHostForTheRequestAndResolvesOnce() throws Exception {
        OutgoingUrlPolicy.Target target = strict.target("https://API.iterable.com.:8443/api/events/track?x=1#frag");
        assertEquals(new OutgoingUrlPolicy.Target("https", "api.iterable.com", 8443, "/api/events/track?x=1", null, false), target);
        assertEquals(List.of(), lookups, "parsing does not look up");
        OutgoingUrlPolicy.Resolved resolved = strict.resolve(target);
        assertEquals(InetAddress.getByName("52.4.5.6"), resolved.address());
        assertEquals(List.of("api.iterable.com"), lookups);
        assertEquals("/", strict.target("https://93.184.216.34").requestUri());
        assertThrows(UnknownHostException.class, () -> strict.resolve(strict.target("https://nowhere.invalid")));
    }

    @Test
    void aRebindingNameIsCheckedOnTheOneAnswerThatIsUsed() throws Exception {
        List<List<String>> answers = new ArrayList<>(List.of(List.of("93.184.216.34"), List.of("127.0.0.1")));
        OutgoingUrlPolicy policy = new OutgoingUrlPolicy(false, List.of(), host -> {
            List<InetAddress> addresses = new ArrayList<>();
            for (String a : answers.remove(0)) {
                addresses.add(InetAddress.getByName(a));
            }
            return addresses;
        });
        OutgoingUrlPolicy.Resolved resolved = policy.resolve(policy.target("https://rebind.example.com/hook"));
        assertEquals(InetAddress.getByName("93.184.216.34"), resolved.address());
        assertEquals(1, answers.size(), "one lookup: the connection goes to the address that was checked");
        assertThrows(OutgoingUrlPolicy.Refused.class, () -> policy.resolve(policy.target("https://rebind.example.com/hook")));
    }

    @Test
    void allowListedHostsAndHttpWhenConfigured() throws Exception {
        OutgoingUrlPolicy test = new OutgoingUrlPolicy(true, List.of("127.0.0.1", " LocalHost ", "[::1]", "fake.internal."), resolver);
        assertEquals(Optional.empty(), test.refusal("http://127.0.0.1:8080/api"));
        assertEquals(Optional.empty(), test.refusal("http://localhost:8080/api".replace("localhost", "127.0.0.1")));
        assertEquals(Optional.empty(), test.refusal("http://[::1]:8080/api"));
        assertTrue(test.refusal("http://10.0.0.5/").isPresent());
        assertTrue(test.refusal("http://0x7f000001/").isPresent(), "only the host as written in the list is allowed");
        assertEquals(Optional.of("only http and https URLs"), test.refusal("ftp://127.0.0.1/"));
        OutgoingUrlPolicy.Target localhost = test.target("http://localhost:8080/api");
        assertTrue(localhost.allowListed());
        assertEquals(InetAddress.getByName("127.0.0.1"), test.resolve(test.target("http://127.0.0.1:9/")).address());
        assertEquals(Optional.of("fake.internal does not resolve"), test.refusal("http://fake.internal/"),
                "an allow-listed name is not checked, but it must resolve");
    }
}
