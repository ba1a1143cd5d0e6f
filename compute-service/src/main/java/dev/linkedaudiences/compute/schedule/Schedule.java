package dev.linkedaudiences.compute.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An audience's schedule (product.md, "Schedules") and when it next fires. {@code interval} fires on the UTC
 * boundaries of its period (every 15 minutes at :00, :15, ...; P1D at 00:00 UTC); {@code day_and_time} fires
 * at each listed time of each listed day in its time zone; {@code manual} never fires.
 */
public final class Schedule {
    private final Duration every;
    private final Set<DayOfWeek> days;
    private final TreeSet<LocalTime> times;
    private final ZoneId zone;

    private Schedule(Duration every, Set<DayOfWeek> days, TreeSet<LocalTime> times, ZoneId zone) {
        this.every = every;
        this.days = days;
        this.times = times;
        this.zone = zone;
    }

    /** Reads a schedule as audience-service validated it; anything else is manual. */
    public static Schedule of(Map<String, Object> schedule) {
        Object type = schedule == null ? null : schedule.get("type");
        if ("interval".equals(type)) {
            return new Schedule(Duration.parse((String) schedule.get("every")), null, null, null);
        }
        if ("day_and_time".equals(type)) {
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (Object day : (Collection<?>) schedule.get("days")) {
                days.add(dayOfWeek((String) day));
            }
            TreeSet<LocalTime> times = new TreeSet<>();
            for (Object time : (Collection<?>) schedule.get("times")) {
                times.add(LocalTime.parse((String) time));
            }
            return new Schedule(null, days, times, ZoneId.of((String) schedule.getOrDefault("timeZone", "UTC")));
        }
        return new Schedule(null, null, null, null);
    }

    /** The first time the schedule fires strictly after {@code after}; empty for a manual schedule. */
    public Optional<Instant> nextAfter(Instant after) {
        if (every != null) {
            long period = every.toMillis();
            return Optional.of(Instant.ofEpochMilli((Math.floorDiv(after.toEpochMilli(), period) + 1) * period));
        }
        if (days == null) {
            return Optional.empty();
        }
        LocalDate date = after.atZone(zone).toLocalDate();
        for (int i = 0; i <= 7; i++, date = date.plusDays(1)) {
            if (!days.contains(date.getDayOfWeek())) {
                continue;
            }
            for (LocalTime time : times) {
                // a time that falls in a DST gap moves forward, as ZonedDateTime.of does
                Instant candidate = ZonedDateTime.of(date, time, zone).toInstant();
                if (candidate.isAfter(after)) {
                    return Optional.of(candidate);
                }
            }
        }
        throw new IllegalStateException("a day_and_time schedule fires within 8 days");
    }

    private static DayOfWeek dayOfWeek(String day) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(day)) {
                return d;
            }
        }
        throw new IllegalArgumentException("not a day: " + day + "; expected one of " + List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"));
    }
}
