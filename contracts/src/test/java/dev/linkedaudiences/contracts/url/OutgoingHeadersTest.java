package dev.linkedaudiences.contracts.url;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutgoingHeadersTest {

    @Test
    void tokenNamesAndPrintableValuesAreAllowed() {
        assertEquals(Optional.empty(), OutgoingHeaders.refusal("Authorization", "Bearer abc.def-123"));
        assertEquals(Optional.empty(), OutgoingHeaders.refusal("X-Team", "growth\tteam"));
        assertEquals(Optional.empty(), OutgoingHeaders.refusal("x!#$%&'*+-.^_`|~9", ""));
    }

    @Test
    void namesThatAreNotTokensAreRefused() {
        for (String name : List.of("", "X Team", "X-Team:", "X-Team\r\nHost", "Ünicode", "(x)", "a/b", "x".repeat(129), " X-Team")) {
            assertTrue(OutgoingHeaders.refusal(name, "v").orElse("").contains("RFC 7230 token"), name);
        }
    }

    @Test
    void theClientsOwnHeadersCannotBeSet() {
        for (String name : List.of("Host", "HOST", "Content-Length", "transfer-encoding", "Connection", "Keep-Alive",
                "Proxy-Connection", "Upgrade", "TE", "Trailer", "Expect")) {
            assertEquals(Optional.of(name + " is set by the HTTP client and cannot be set here"), OutgoingHeaders.refusal(name, "x"), name);
        }
    }

    @Test
    void valuesWithControlCharactersAreRefusedWithoutQuotingThem() {
        for (String value : List.of("a\r\nHost: evil", "a\nb", "a\rb", "a\u0000b", "a\u007fb", "a\u001bb", "caf\u00e9", "a\u2028b")) {
            String why = OutgoingHeaders.refusal("X-Secret", value).orElse("");
            assertTrue(why.contains("no CR, LF, NUL"), value);
            assertTrue(!why.contains(value), "a refusal never quotes the value");
        }
        assertTrue(OutgoingHeaders.refusal("X-Big", "x".repeat(8193)).orElse("").contains("at most 8192"));
        assertEquals(Optional.of("a header needs a value"), OutgoingHeaders.refusal("X-Team", null));
    }
}
