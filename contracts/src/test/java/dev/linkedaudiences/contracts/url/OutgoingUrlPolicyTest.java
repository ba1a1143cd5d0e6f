package dev.linkedaudiences.contracts.url;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutgoingUrlPolicyTest {
    private final OutgoingUrlPolicy strict = new OutgoingUrlPolicy(false, List.of());

    @Test
    void httpsToPublicAddressesOnly() {
        assertEquals(Optional.empty(), strict.refusal("https://93.184.216.34/api/events/track"));
        assertEquals(Optional.of("only https URLs"), strict.refusal("http://93.184.216.34/hook"));
        assertEquals(Optional.of("only https URLs"), strict.refusal("ftp://93.184.216.34/"));
        for (String internal : List.of("https://127.0.0.1:8443/", "https://10.0.0.5/", "https://192.168.1.1/",
                "https://172.16.0.1/", "https://169.254.169.254/latest", "https://[::1]/", "https://[fd00::1]/",
                "https://100.64.0.1/", "https://0.0.0.0/", "https://localhost/")) {
            assertTrue(strict.refusal(internal).orElse("").contains("loopback, private or link-local"), internal);
        }
        assertEquals(Optional.of("not a URL"), strict.refusal("https://exa mple.com"));
    }

    @Test
    void allowListedHostsAndHttpWhenConfigured() {
        OutgoingUrlPolicy test = new OutgoingUrlPolicy(true, List.of("127.0.0.1", " LocalHost "));
        assertEquals(Optional.empty(), test.refusal("http://127.0.0.1:8080/api"));
        assertEquals(Optional.empty(), test.refusal("http://localhost:8080/api"));
        assertTrue(test.refusal("http://10.0.0.5/").isPresent());
        assertEquals(Optional.of("only http and https URLs"), test.refusal("ftp://127.0.0.1/"));
    }
}
