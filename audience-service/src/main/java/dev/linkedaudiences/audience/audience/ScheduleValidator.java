package dev.linkedaudiences.audience.audience;

import dev.linkedaudiences.contracts.problem.FieldError;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a schedule against product.md ("Schedules"). */
final class ScheduleValidator {
    static final Set<String> INTERVALS = Set.of("PT15M", "PT30M", "PT1H", "PT2H", "PT4H", "PT6H", "PT8H", "PT12H", "P1D");
    private static final Set<String> DAYS = Set.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    static List<FieldError> validate(Map<String, Object> schedule, String at) {
        List<FieldError> errors = new ArrayList<>();
        Object type = schedule.get("type");
        if ("manual".equals(type)) {
            return errors;
        }
        if ("interval".equals(type)) {
            if (!INTERVALS.contains(String.valueOf(schedule.get("every")))) {
                errors.add(new FieldError(at + "/every", "every is one of " + INTERVALS));
            }
        } else if ("day_and_time".equals(type)) {
            if (!(schedule.get("days") instanceof Collection<?> days) || days.isEmpty()
                    || !days.stream().allMatch(day -> day instanceof String s && DAYS.contains(s))) {
                errors.add(new FieldError(at + "/days", "days is a non-empty list of " + DAYS));
            }
            if (!(schedule.get("times") instanceof Collection<?> times) || times.isEmpty() || !times.stream().allMatch(ScheduleValidator::isTime)) {
                errors.add(new FieldError(at + "/times", "times is a non-empty list of HH:mm"));
            }
            try {
                ZoneId.of(String.valueOf(schedule.getOrDefault("timeZone", "UTC")));
            } catch (DateTimeException e) {
                errors.add(new FieldError(at + "/timeZone", "not an IANA time zone"));
            }
        } else {
            errors.add(new FieldError(at + "/type", "type is one of manual, interval, day_and_time"));
        }
        return errors;
    }

    private static boolean isTime(Object value) {
        try {
            return value instanceof String s && s.length() == 5 && LocalTime.parse(s) != null;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private ScheduleValidator() {
    }
}
