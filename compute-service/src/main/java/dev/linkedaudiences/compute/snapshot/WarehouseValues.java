package dev.linkedaudiences.compute.snapshot;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAccessor;

/** Warehouse values as JSON values: numbers, text and booleans stay, times become ISO-8601 text. */
public final class WarehouseValues {

    public static Object json(Object value) {
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant().toString();
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
        }
        if (value instanceof java.sql.Date || value instanceof java.sql.Time || value instanceof TemporalAccessor) {
            return value.toString();
        }
        return value;
    }

    private WarehouseValues() {
    }
}
