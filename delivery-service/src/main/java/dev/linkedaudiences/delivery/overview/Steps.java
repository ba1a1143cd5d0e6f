package dev.linkedaudiences.delivery.overview;

import dev.linkedaudiences.delivery.event.DeliveryStatus;

import java.util.Map;

/**
 * The pipeline steps of the delivery overview (product.md). Every event is in exactly one of the last five, so
 * {@code eventsFromAudience} is their sum, for any filter.
 */
public record Steps(long eventsFromAudience, long filteredAtSource, long filteredAtDestination, long pendingRetry,
                    long failedDelivery, long successfulDelivery) {

    public static Steps of(Map<DeliveryStatus, Long> countByStatus) {
        long filteredAtSource = countByStatus.getOrDefault(DeliveryStatus.FILTERED_AT_SOURCE, 0L);
        long filteredAtDestination = countByStatus.getOrDefault(DeliveryStatus.FILTERED_AT_DESTINATION, 0L);
        long pending = countByStatus.getOrDefault(DeliveryStatus.PENDING, 0L);
        long failed = countByStatus.getOrDefault(DeliveryStatus.FAILED, 0L);
        long successful = countByStatus.getOrDefault(DeliveryStatus.SUCCESSFUL, 0L);
        return new Steps(filteredAtSource + filteredAtDestination + pending + failed + successful,
                filteredAtSource, filteredAtDestination, pending, failed, successful);
    }
}
