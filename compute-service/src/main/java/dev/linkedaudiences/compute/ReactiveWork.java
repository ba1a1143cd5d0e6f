package dev.linkedaudiences.compute;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

import java.util.function.Supplier;

/** Reactive work (Hibernate Reactive, Kafka) awaited from a worker thread, where runs and checks execute. */
public final class ReactiveWork {

    /** Subscribes to {@code work} on a fresh Vert.x context and waits for its item. */
    public static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private ReactiveWork() {
    }
}
