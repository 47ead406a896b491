package io.anglearn.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sizes and counts the fuzz properties. Each property's {@code tries} is its share of the default
 * budget, which keeps the whole suite within a minute on two busy cores; the system property
 * {@code anglearn.fuzz.scale} multiplies every share for longer runs, e.g.
 * {@code -Danglearn.fuzz.scale=100}.
 *
 * <p>After each property the number of executions (inputs generated and checked) is printed and
 * written to {@code target/fuzz-executions/<class>.<property>.txt} as
 * {@code reader property tries checks seconds status}, so the totals can be reported.
 */
public final class FuzzBudget implements AroundPropertyHook {

    /** Multiplier of every property's tries (default 1). */
    public static final double SCALE = Double.parseDouble(System.getProperty("anglearn.fuzz.scale", "1"));

    /** Where the counts are written, relative to the module. */
    public static final Path OUT = Path.of("target", "fuzz-executions");

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property)
            throws Throwable {
        int base = context.attributes().tries().orElse(100);
        if (base > 1) {
            // Examples (one try) stay single; properties get their share times the scale.
            context.attributes().setTries((int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(base * SCALE))));
        }
        long start = System.nanoTime();
        PropertyExecutionResult result = property.execute();
        double seconds = (System.nanoTime() - start) / 1e9;
        String reader = context.containerClass().getSimpleName().replace("FuzzTest", "");
        String name = context.targetMethod().getName();
        String line = String.format(Locale.ROOT, "%s %s %d %d %.1f %s", reader, name, result.countTries(),
                result.countChecks(), seconds, result.status());
        System.out.println("fuzz executions: " + line);
        try {
            Files.createDirectories(OUT);
            Files.writeString(OUT.resolve(context.containerClass().getSimpleName() + "." + name + ".txt"), line + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.out.println("cannot record fuzz executions: " + e);
        }
        return result;
    }

    @Override
    public PropagationMode propagateTo() {
        // Registered on a test class, it applies to the class's properties.
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public int aroundPropertyProximity() {
        // Outside jqwik's own hooks, so the count covers the whole property.
        return -100;
    }
}
