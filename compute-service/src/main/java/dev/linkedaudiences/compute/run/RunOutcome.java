package dev.linkedaudiences.compute.run;

/** What a successful run measured; {@code preparingMs} is null when nothing changed. */
public record RunOutcome(long audienceSize, int entered, int exited, long extractingMs, Long preparingMs) {
}
