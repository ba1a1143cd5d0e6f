package dev.linkedaudiences.delivery.dispatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many due events of each activation a pass claims, so that a backlog of one activation never holds back
 * another's events.
 * <ul>
 *   <li>The batch is split evenly (max-min fair) between the activations with due events: what one does not need
 *   goes to the others, and an activation alone gets the whole batch.</li>
 *   <li>An activation whose sends were put off for a rate limit is left out until the first of them could go, then
 *   claimed for twice what it got through (doubling while nothing is put off), rather than for a whole share it
 *   would mostly put off again: a backlog far larger than its limit is read about twice per event, not once per
 *   pass, and its put-off events are not written at all.</li>
 * </ul>
 * Per instance, like the rate limiters it follows; safe for passes running at once.
 */
final class ClaimShares {
    /** Put off until {@code until}, then claimed for at most {@code capacity} events. */
    private record PutOff(Instant until, int capacity) {
    }

    private final int batchSize;
    private final Map<String, PutOff> putOff = new ConcurrentHashMap<>();

    ClaimShares(int batchSize) {
        this.batchSize = batchSize;
    }

    /**
     * @param earliestDue every activation with pending events, and when its earliest one is due
     * @return the activations to claim from now, and how many events of each at most (all positive)
     */
    Map<String, Integer> shares(Map<String, Instant> earliestDue, Instant now) {
        putOff.keySet().retainAll(earliestDue.keySet());
        List<Map.Entry<String, Integer>> caps = new ArrayList<>();
        earliestDue.forEach((activationId, due) -> {
            PutOff off = putOff.get(activationId);
            if (!due.isAfter(now) && (off == null || !off.until().isAfter(now))) {
                caps.add(Map.entry(activationId, off == null ? batchSize : off.capacity()));
            }
        });
        // Ties in random order: with more activations due than events in a batch, none is always the one left out.
        Collections.shuffle(caps);
        caps.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
        Map<String, Integer> shares = new LinkedHashMap<>();
        int left = batchSize;
        for (int i = 0; i < caps.size() && left > 0; i++) {
            int share = Math.min(caps.get(i).getValue(), (left + caps.size() - i - 1) / (caps.size() - i));
            shares.put(caps.get(i).getKey(), share);
            left -= share;
        }
        return shares;
    }

    /**
     * Sends of {@code activationId} asked for at {@code sending} were put off until {@code until}, after {@code sent}
     * of its events went. Passes that claimed it at once add up what they got through.
     */
    void putOff(String activationId, Instant sending, Instant until, int sent) {
        putOff.merge(activationId, new PutOff(until, Math.max(1, 2 * sent)), (before, latest) -> before.until().isAfter(sending)
                ? new PutOff(later(before.until(), latest.until()), before.capacity() + 2 * sent)
                : latest);
    }

    private static Instant later(Instant one, Instant other) {
        return one.isAfter(other) ? one : other;
    }

    /** Every claimed event of {@code activationId} went: it may take twice as many next time. */
    void keptUp(String activationId) {
        putOff.computeIfPresent(activationId, (id, off) ->
                off.capacity() >= batchSize / 2 ? null : new PutOff(off.until(), 2 * off.capacity()));
    }
}
