package io.anglearn.loss.miners;

import io.anglearn.util.NameSuggestions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Creates miners by their short names, with parameters by name; unknown names and parameters are
 * rejected with the closest known ones. Every parameter is a number.
 *
 * <table>
 *   <caption>Miners and their parameters (defaults)</caption>
 *   <tr><th>name</th><th>class</th><th>selects</th><th>parameters</th></tr>
 *   <tr><td>batch-hard</td><td>{@link BatchHardMiner}</td><td>triplets</td><td>none</td></tr>
 *   <tr><td>semi-hard</td><td>{@link SemiHardMiner}</td><td>triplets</td><td>margin (0.2)</td></tr>
 *   <tr><td>multi-similarity</td><td>{@link MultiSimilarityMiner}</td><td>pairs</td><td>epsilon (0.1)</td></tr>
 * </table>
 */
public final class Miners {

    private record Entry(Map<String, Double> defaults, Function<Map<String, Double>, Miner> factory) {}

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("batch-hard", new Entry(Map.of(), p -> new BatchHardMiner()));
        REGISTRY.put("semi-hard", new Entry(Map.of("margin", SemiHardMiner.DEFAULT_MARGIN),
                p -> SemiHardMiner.builder().optMargin(p.get("margin")).build()));
        REGISTRY.put("multi-similarity", new Entry(Map.of("epsilon", MultiSimilarityMiner.DEFAULT_EPSILON),
                p -> MultiSimilarityMiner.builder().optEpsilon(p.get("epsilon")).build()));
    }

    /** The short names {@link #create} accepts, in the order of the table above. */
    public static final List<String> NAMES = List.copyOf(REGISTRY.keySet());

    private Miners() {}

    /**
     * Returns a miner's parameters with their defaults.
     *
     * @param name the short name
     * @return parameter name → default value
     * @throws IllegalArgumentException for an unknown name, suggesting the closest known ones
     */
    public static Map<String, Double> parameters(String name) {
        return Collections.unmodifiableMap(REGISTRY.get(NameSuggestions.resolve("--miner", name, NAMES)).defaults());
    }

    /**
     * Creates a miner.
     *
     * @param name the short name, e.g. {@code batch-hard}
     * @param params its parameters by name; unset ones take their defaults
     * @return the miner
     * @throws IllegalArgumentException for an unknown name or parameter, or an invalid value
     */
    public static Miner create(String name, Map<String, Double> params) {
        String n = NameSuggestions.resolve("--miner", name, NAMES);
        Entry e = REGISTRY.get(n);
        for (Map.Entry<String, Double> p : params.entrySet()) {
            if (!e.defaults().containsKey(p.getKey())) {
                throw new IllegalArgumentException("miner '" + n + "' has no parameter '" + p.getKey() + "'"
                        + (e.defaults().isEmpty() ? "; it takes none" : "; "
                                + NameSuggestions.hint(NameSuggestions.closest(p.getKey(), e.defaults().keySet()),
                                        e.defaults().keySet())));
            }
            if (p.getValue() == null || Double.isNaN(p.getValue())) {
                throw new IllegalArgumentException("miner '" + n + "': parameter '" + p.getKey() + "' needs a number");
            }
        }
        Map<String, Double> resolved = new LinkedHashMap<>(e.defaults());
        resolved.putAll(params);
        return e.factory().apply(resolved);
    }

    /**
     * Describes every miner and its parameters with their defaults, one line each, for help texts.
     *
     * @return e.g. {@code semi-hard: margin=0.2}
     */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Entry> e : REGISTRY.entrySet()) {
            List<String> ps = new ArrayList<>();
            e.getValue().defaults().forEach((k, v) -> ps.add(k + "=" + v));
            lines.add(e.getKey() + ": " + (ps.isEmpty() ? "no parameters" : String.join(", ", ps)));
        }
        return lines;
    }
}
