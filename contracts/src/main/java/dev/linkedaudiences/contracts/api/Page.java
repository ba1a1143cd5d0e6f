package dev.linkedaudiences.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.linkedaudiences.contracts.input.TextRules;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/** One page of a list; {@code nextCursor} is opaque and absent on the last page. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, String nextCursor) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /**
     * Builds a page from up to {@code limit + 1} rows read after the cursor: the extra row only tells that
     * another page exists, and the cursor encodes the sort key of the last row shown.
     */
    public static <R, T> Page<T> of(List<R> rowsPlusOne, int limit, Function<R, String> sortKey, Function<R, T> view) {
        boolean more = rowsPlusOne.size() > limit;
        List<R> rows = more ? rowsPlusOne.subList(0, limit) : rowsPlusOne;
        String next = more ? encode(sortKey.apply(rows.get(rows.size() - 1))) : null;
        return new Page<>(rows.stream().map(view).toList(), next);
    }

    public static String encode(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The sort key a cursor stands for, or null for the first page; anything but a cursor this API gave out is a 400. */
    public static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String sortKey = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor))).toString();
            if (sortKey.isEmpty() || TextRules.problem(sortKey, 1_000).isPresent()) {
                throw new IllegalArgumentException("not a sort key");
            }
            return sortKey;
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw dev.linkedaudiences.contracts.problem.ApiException.invalid("/cursor", "not a cursor this API gave out");
        }
    }

    /** The {@code limit} query parameter as given: default when absent; not a number or out of range is a 400. */
    public static int limit(String requested) {
        if (requested == null || requested.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            return limit(Integer.valueOf(requested.strip()));
        } catch (NumberFormatException e) {
            throw dev.linkedaudiences.contracts.problem.ApiException.invalid("/limit", "limit is a whole number between 1 and " + MAX_LIMIT);
        }
    }

    /** The limit to use: default when absent; out of range is a 400. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw dev.linkedaudiences.contracts.problem.ApiException.invalid("/limit", "limit is between 1 and " + MAX_LIMIT);
        }
        return requested;
    }
}
