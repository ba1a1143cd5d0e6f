package dev.linkedaudiences.delivery.destination;

import dev.linkedaudiences.contracts.secret.SecretSettings;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a destination answers is shown to people who may not see its secrets (a dead letter's reason is readable by
 * read_only, a test event's reply by engage_user) and goes to logs and the database; a 401 that echoes the key it was
 * sent would leak it. Every reason and reply is therefore cut to {@value #MAX_CHARS} characters and every secret of the
 * destination ({@link SecretSettings}) replaced with {@value #MASK} before anyone keeps it: first the secrets, then the
 * cut, so that no prefix of a secret survives at the cut.
 * <p>
 * A secret (of {@value #MIN_LENGTH} characters or more) is looked for as it is, in the forms a reply is likely to echo it in (URL- and JSON-escaped, base64, and
 * each word of a multi-word value such as {@code Bearer <token>}), and as the Basic credentials Customer.io is sent.
 */
public final class SecretScrubber {
    public static final int MAX_CHARS = 1024;
    public static final String MASK = "***";
    /** Words of a secret shorter than this (a {@code Bearer} scheme) are not secrets by themselves. */
    private static final int MIN_WORD = 8;
    /**
     * Shorter values are not looked for: masking every {@code s} of a reply for a webhook secret {@code s} would make
     * it unreadable, and a value that short protects nothing.
     */
    static final int MIN_LENGTH = 4;

    private final List<String> forms;

    private SecretScrubber(List<String> forms) {
        this.forms = forms;
    }

    /** The scrubber of a destination's settings (secrets opened). */
    public static SecretScrubber of(Map<String, String> settings) {
        Set<String> forms = new LinkedHashSet<>();
        SecretSettings.secretValues(settings).values().forEach(secret -> addForms(secret, forms));
        String siteId = settings.get("siteId");
        String apiKey = settings.get("apiKey");
        if (siteId != null && apiKey != null && !apiKey.isEmpty()) {
            forms.add(base64(siteId + ":" + apiKey));
        }
        List<String> longestFirst = new ArrayList<>(forms);
        longestFirst.removeIf(form -> form.length() < MIN_LENGTH);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretScrubber(List.copyOf(longestFirst));
    }

    private static void addForms(String secret, Set<String> forms) {
        forms.add(secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"));
        forms.add(base64(secret));
        for (String word : secret.split("\\s+")) {
            if (word.length() >= MIN_WORD) {
                forms.add(word);
                forms.add(URLEncoder.encode(word, StandardCharsets.UTF_8));
            }
        }
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code text} without the secrets, cut to {@link #MAX_CHARS}; null stays null. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        for (String form : forms) {
            if (scrubbed.contains(form)) {
                scrubbed = scrubbed.replace(form, MASK);
            }
        }
        return scrubbed.length() > MAX_CHARS ? scrubbed.substring(0, MAX_CHARS) + "...(cut)" : scrubbed;
    }

    /** The result with its reason and reply scrubbed. */
    public DeliveryResult scrub(DeliveryResult result) {
        if (result == null || (result.reason() == null && result.reply() == null)) {
            return result;
        }
        return new DeliveryResult(result.kind(), result.status(), scrub(result.reason()), result.retryAfter(), scrub(result.reply()));
    }

    /** Each result scrubbed; a result shared by several messages (a batch's answer) is scrubbed once. */
    public List<DeliveryResult> scrubAll(List<DeliveryResult> results) {
        Map<DeliveryResult, DeliveryResult> done = new IdentityHashMap<>();
        List<DeliveryResult> scrubbed = new ArrayList<>(results.size());
        for (DeliveryResult result : results) {
            scrubbed.add(result == null ? null : done.computeIfAbsent(result, this::scrub));
        }
        return scrubbed;
    }
}
