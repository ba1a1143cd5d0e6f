package dev.linkedaudiences.audience.destination;

import dev.linkedaudiences.audience.AudienceServiceTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.linkedaudiences.audience.Api.owner;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Issue 12, finding 8, at save: URLs are read as a resolver reads them (every form below reaches an internal
 * address, or nothing), and webhook headers cannot smuggle CR/LF or replace the client's own headers.
 */
@QuarkusTest
@AudienceServiceTestResource
class DestinationUrlAndHeaderRulesTest {

    private static io.restassured.response.ValidatableResponse webhook(Map<String, String> settings) {
        return owner().body(Map.of("name", "d", "type", "webhook", "settings", settings)).post("/api/v1/destinations").then();
    }

    @Test
    void urlFormsThatReachAnInternalAddressOrNothingAreRefused() {
        for (String url : List.of("https://0x7f000001/hook", "https://0177.0.0.1/hook", "https://2130706433/hook",
                "https://127.1/hook", "https://[::127.0.0.1]/hook", "https://[64:ff9b::7f00:1]/hook",
                "https://[::ffff:169.254.169.254]/hook", "https://[2002:a00:1::]/hook", "https://[::1%25lo]/hook",
                "https://localhost./hook", "https://api.localhost/hook", "https://no-such-host.invalid/hook",
                "https://user@93.184.216.34/hook", "https://100.64.0.1/hook", "https://198.18.0.1/hook")) {
            webhook(Map.of("url", url, "secret", "s")).statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.pointer", hasItem("/settings/url"))
                    .body("errors.message", hasItem(containsString("url is not allowed: ")));
        }
        webhook(Map.of("url", "https://no-such-host.invalid/hook", "secret", "s")).statusCode(400)
                .body("errors.message", hasItem("url is not allowed: no-such-host.invalid does not resolve"));
    }

    @Test
    void headerNamesAndValuesAreChecked() {
        webhook(Map.of("url", "https://93.184.216.34/hook", "secret", "s", "header.Authorization", "Bearer abc",
                "header.X-Team", "growth")).statusCode(201);
        for (String reserved : List.of("Host", "content-length", "Transfer-Encoding", "Connection")) {
            webhook(Map.of("url", "https://93.184.216.34/hook", "secret", "s", "header." + reserved, "x")).statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.pointer", equalTo(List.of("/settings/header." + reserved)))
                    .body("errors.message", hasItem(reserved + " is set by the HTTP client and cannot be set here"));
        }
        webhook(Map.of("url", "https://93.184.216.34/hook", "secret", "s", "header.X-Team", "growth\r\nHost: 10.0.0.1"))
                .statusCode(400)
                .body("errors.pointer", equalTo(List.of("/settings/header.X-Team")))
                .body("errors.message", hasItem(containsString("no CR, LF, NUL")))
                .body("errors.message", not(hasItem(containsString("10.0.0.1"))));
        webhook(Map.of("url", "https://93.184.216.34/hook", "secret", "s", "header.X Team", "growth")).statusCode(400)
                .body("errors.pointer", equalTo(List.of("/settings/header.X Team")))
                .body("errors.message", hasItem(containsString("RFC 7230 token")));
    }
}
