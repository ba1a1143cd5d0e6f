package dev.linkedaudiences.contracts.url;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which headers a destination's settings may add to its requests (webhook {@code header.<Name>}): checked when a
 * destination is saved (audience-service, 400 at {@code /settings/header.<Name>}) and again before a send
 * (delivery-service, a setting stored before this rule is not sent). A name is an RFC 7230 token; a value holds
 * visible ASCII, spaces and tabs only (no CR, LF, NUL or other control character, which would split the request or
 * forge headers); and the headers that frame the request or name its target belong to the HTTP client, not to a
 * setting. The reasons never quote a value (it may be a secret).
 */
public final class OutgoingHeaders {
    /** The client's own: framing, the connection, the target host. */
    public static final Set<String> RESERVED = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "proxy-connection", "upgrade", "te", "trailer", "expect");
    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_VALUE_LENGTH = 8192;
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private OutgoingHeaders() {
    }

    /** Why the header {@code name: value} may not be sent, or empty when it may. */
    public static Optional<String> refusal(String name, String value) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || !name.chars().allMatch(OutgoingHeaders::tokenChar)) {
            return Optional.of("a header name is 1 to " + MAX_NAME_LENGTH + " letters, digits or " + TOKEN_SYMBOLS + " (RFC 7230 token)");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return Optional.of(name + " is set by the HTTP client and cannot be set here");
        }
        if (value == null) {
            return Optional.of("a header needs a value");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            return Optional.of("a header value is at most " + MAX_VALUE_LENGTH + " characters");
        }
        if (!value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c <= 0x7e))) {
            return Optional.of("a header value holds visible ASCII characters, spaces and tabs only (no CR, LF, NUL or other control character)");
        }
        return Optional.empty();
    }

    private static boolean tokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TOKEN_SYMBOLS.indexOf(c) >= 0;
    }
}
