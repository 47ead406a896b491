package io.anglearn.loss;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of a loss's parameters, every declared one present (given or default) and each
 * already checked against its {@link LossParameter.Kind}: what {@link LossProvider#create} reads.
 */
public final class LossArguments {

    private final Map<String, Double> values;

    LossArguments(Map<String, Double> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Returns a parameter's value.
     *
     * @param name a declared parameter
     * @return its value
     * @throws IllegalArgumentException for a name the loss did not declare
     */
    public double real(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no loss parameter '" + name + "' was declared; declared: " + values.keySet());
        }
        return v;
    }

    /**
     * Returns a whole-number parameter's value.
     *
     * @param name a declared {@link LossParameter.Kind#INTEGER} parameter
     * @return its value
     */
    public int integer(String name) {
        return (int) real(name);
    }

    /**
     * Returns a switch's value.
     *
     * @param name a declared {@link LossParameter.Kind#SWITCH} parameter
     * @return whether it is on
     */
    public boolean flag(String name) {
        return real(name) == 1;
    }

    /** Returns every value by name, in the declaration's order. */
    public Map<String, Double> asMap() {
        return values;
    }
}
