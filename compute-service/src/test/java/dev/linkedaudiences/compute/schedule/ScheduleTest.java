package dev.linkedaudiences.compute.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScheduleTest {

    private static Instant next(Map<String, Object> schedule, String after) {
        return Schedule.of(schedule).nextAfter(Instant.parse(after)).orElseThrow();
    }

    @Test
    void intervalsFireOnUtcBoundaries() {
        Map<String, Object> quarter = Map.of("type", "interval", "every", "PT15M");
        assertEquals(Instant.parse("2026-11-24T10:15:00Z"), next(quarter, "2026-11-24T10:07:13Z"));
        assertEquals(Instant.parse("2026-11-24T10:30:00Z"), next(quarter, "2026-11-24T10:15:00Z"), "strictly after");
        assertEquals(Instant.parse("2026-11-25T00:00:00Z"), next(Map.of("type", "interval", "every", "P1D"), "2026-11-24T23:59:59Z"));
        assertEquals(Instant.parse("2026-11-24T16:00:00Z"), next(Map.of("type", "interval", "every", "PT8H"), "2026-11-24T10:00:00Z"));
    }

    @Test
    void dayAndTimeFollowsTheTimeZone() {
        Map<String, Object> weekdayMornings = Map.of("type", "day_and_time", "days", List.of("MON", "WED"),
                "times", List.of("08:00", "17:30"), "timeZone", "America/New_York");
        // Tuesday 2026-11-24 10:00 UTC -> Wednesday 08:00 New York (EST, UTC-5) = 13:00 UTC
        assertEquals(Instant.parse("2026-11-25T13:00:00Z"), next(weekdayMornings, "2026-11-24T10:00:00Z"));
        // Wednesday 13:00 UTC exactly -> the same day's 17:30 New York = 22:30 UTC
        assertEquals(Instant.parse("2026-11-25T22:30:00Z"), next(weekdayMornings, "2026-11-25T13:00:00Z"));
        // after Wednesday's last time -> next Monday 08:00 = 13:00 UTC
        assertEquals(Instant.parse("2026-11-30T13:00:00Z"), next(weekdayMornings, "2026-11-25T23:00:00Z"));
    }

    @Test
    void daylightSavingTimeMovesTheUtcInstant() {
        Map<String, Object> daily = Map.of("type", "day_and_time", "days", List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"),
                "times", List.of("08:00"), "timeZone", "Europe/Berlin");
        assertEquals(Instant.parse("2026-03-28T07:00:00Z"), next(daily, "2026-03-27T12:00:00Z"), "CET, UTC+1");
        assertEquals(Instant.parse("2026-03-29T06:00:00Z"), next(daily, "2026-03-28T12:00:00Z"), "CEST, UTC+2");
    }

    @Test
    void manualNeverFires() {
        assertEquals(Optional.empty(), Schedule.of(Map.of("type", "manual")).nextAfter(Instant.now()));
        assertEquals(Optional.empty(), Schedule.of(null).nextAfter(Instant.now()));
    }
}
