package io.anglearn.loss;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Creates losses by their short names, with parameters by name; unknown names are rejected. */
public final class Losses {

    /** The short names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("soft", "arc");

    private Losses() {}

    /**
     * Creates a loss.
     *
     * @param name the short name, e.g. {@code arc}
     * @param params the loss's parameters by name; unset ones take their defaults
     * @return the loss
     * @throws IllegalArgumentException for an unknown name or parameter, or an invalid value
     */
    public static EmbeddingLoss create(String name, Map<String, Double> params) {
        String n = name.toLowerCase(Locale.ROOT);
        switch (n) {
            case "soft":
                allow(n, params, Set.of());
                return new SoftmaxLoss();
            case "arc":
                allow(n, params, Set.of("k", "epsilon"));
                return new AngularLoss(params.getOrDefault("k", AngularLoss.DEFAULT_K),
                        params.getOrDefault("epsilon", AngularLoss.DEFAULT_EPSILON));
            default:
                throw new IllegalArgumentException("unknown loss '" + name + "': expected one of " + NAMES);
        }
    }

    private static void allow(String loss, Map<String, Double> params, Set<String> allowed) {
        for (String key : params.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("loss '" + loss + "' has no parameter '" + key + "'"
                        + (allowed.isEmpty() ? "; it takes none" : "; it takes " + allowed));
            }
        }
    }
}
