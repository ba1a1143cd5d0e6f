package dev.linkedaudiences.compute.bench;

import dev.linkedaudiences.compute.sql.CompiledQuery;
import dev.linkedaudiences.compute.sql.SqlCompiler;
import dev.linkedaudiences.contracts.definition.AudienceDefinition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * For each audience, its generated (by a new compiler from {@code compiler}) members query beside its hand-written twin ({@code <audience>.sql}) on one
 * engine: both counted, alternating which goes first, the median of the repetitions printed as a Markdown row. The
 * counts must agree. A query past the timeout is cancelled, reported as "> timeout" and not repeated; a hand-written
 * query the engine rejects (it is written for PostgreSQL) is reported as not running there.
 */
final class GeneratedVsHandWritten {

    /** One query's outcome over the repetitions: milliseconds of each finished run, or why it has none. */
    private static final class Timing {
        final List<Long> ms = new ArrayList<>();
        long count = -1;
        boolean timedOut;
        String failure;

        boolean done() {
            return timedOut || failure != null;
        }

        long median() {
            return ms.stream().sorted().toList().get(ms.size() / 2);
        }

        String cell(Duration timeout) {
            return timedOut ? "> " + timeout.toSeconds() + " s" : failure != null ? "does not run (" + failure + ")" : String.format("%,d", median());
        }
    }

    /** generated / hand-written, or a bound when one of them timed out. */
    private static String ratio(Timing generated, Timing hand, Duration timeout) {
        boolean generatedTimed = !generated.ms.isEmpty() && !generated.done();
        boolean handTimed = !hand.ms.isEmpty() && !hand.done();
        if (generatedTimed && handTimed) {
            return String.format("%.2f", (double) generated.median() / Math.max(1, hand.median()));
        }
        if (generated.timedOut && handTimed) {
            return String.format("> %.0f", (double) timeout.toMillis() / Math.max(1, hand.median()));
        }
        if (generatedTimed && hand.timedOut) {
            return String.format("< %.2f", (double) generated.median() / timeout.toMillis());
        }
        return "-";
    }

    static void run(QueryEngine engine, Supplier<SqlCompiler> compiler, Map<String, AudienceDefinition> definitions,
                    Path dir, int reps, Duration timeout) throws Exception {
        System.out.printf("%n## Generated vs hand-written SQL on %s (median of %d, ms; timeout %d s)%n%n", engine.describe(), reps, timeout.toSeconds());
        System.out.println("| audience | members | generated (ms) | hand-written (ms) | generated / hand-written |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, AudienceDefinition> audience : definitions.entrySet()) {
            String name = audience.getKey();
            CompiledQuery generated = compiler.get().members(audience.getValue());
            if (System.getenv("BENCH_PRINT_SQL") != null) {
                System.out.println(generated.sql() + "\n-- " + generated.parameters());
            }
            CompiledQuery hand = new CompiledQuery(Files.readString(dir.resolve(name + ".sql")), List.of());
            Timing generatedTiming = new Timing();
            Timing handTiming = new Timing();
            for (int rep = 0; rep < reps; rep++) {
                boolean handFirst = rep % 2 == 1;
                for (int turn = 0; turn < 2; turn++) {
                    boolean isHand = (turn == 0) == handFirst;
                    time(engine, isHand ? hand : generated, isHand ? handTiming : generatedTiming, timeout, isHand);
                }
            }
            if (generatedTiming.count >= 0 && handTiming.count >= 0 && generatedTiming.count != handTiming.count) {
                throw new IllegalStateException(name + ": generated SQL finds " + generatedTiming.count + " members, hand-written " + handTiming.count);
            }
            long members = Math.max(generatedTiming.count, handTiming.count);
            System.out.printf("| %s | %s | %s | %s | %s |%n", name, members < 0 ? "?" : String.format("%,d", members),
                    generatedTiming.cell(timeout), handTiming.cell(timeout), ratio(generatedTiming, handTiming, timeout));
        }
    }

    /** Runs the query once more unless it already timed out or failed. */
    private static void time(QueryEngine engine, CompiledQuery query, Timing timing, Duration timeout, boolean handWritten) {
        if (timing.done()) {
            return;
        }
        long start = System.nanoTime();
        try {
            OptionalLong count = engine.count(query, timeout);
            if (count.isEmpty()) {
                timing.timedOut = true;
                return;
            }
            timing.ms.add((System.nanoTime() - start) / 1_000_000);
            timing.count = count.getAsLong();
        } catch (Exception e) {
            if (!handWritten) {
                throw new IllegalStateException("the generated SQL failed on " + engine.dialect().name() + ": " + e.getMessage(), e);
            }
            String message = String.valueOf(e.getMessage()).lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("");
            timing.failure = message.substring(0, Math.min(80, message.length())).replace("|", "\\|");
        }
    }

    private GeneratedVsHandWritten() {
    }
}
