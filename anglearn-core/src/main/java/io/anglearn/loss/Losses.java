package io.anglearn.loss;

import io.anglearn.loss.miners.Miner;
import io.anglearn.util.NameSuggestions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Creates losses by their short names, with parameters by name; unknown names and parameters are
 * rejected. Every parameter is a number: switches take 0 or 1, integer parameters whole numbers.
 *
 * <table>
 *   <caption>Losses and their parameters (defaults)</caption>
 *   <tr><th>name</th><th>class</th><th>parameters</th></tr>
 *   <tr><td>soft</td><td>{@link SoftmaxLoss}</td><td>none</td></tr>
 *   <tr><td>center</td><td>{@link CenterLoss}</td><td>lambda (0.003), alpha (0.5)</td></tr>
 *   <tr><td>arcface</td><td>{@link ArcFaceLoss}</td><td>s (64), m (0.5), easy_margin (0), epsilon (1e-6)</td></tr>
 *   <tr><td>arc</td><td>{@link AngularLoss}</td><td>k ({@value AngularLoss#DEFAULT_K}), epsilon (1e-6)</td></tr>
 *   <tr><td>cosface</td><td>{@link CosFaceLoss}</td><td>s (64), m (0.35)</td></tr>
 *   <tr><td>sphereface, lsoftmax</td><td>{@link SphereFaceLoss}</td>
 *       <td>m (4), lambda_base (1000), gamma (0.12), power (1), lambda_min (5), epsilon (1e-6)</td></tr>
 *   <tr><td>normface</td><td>{@link NormFaceLoss}</td><td>s (16)</td></tr>
 *   <tr><td>adacos</td><td>{@link AdaCosLoss}</td><td>dynamic (1), epsilon (1e-6)</td></tr>
 *   <tr><td>subcenter-arcface</td><td>{@link SubCenterArcFaceLoss}</td>
 *       <td>subcenters (3), s (64), m (0.5), easy_margin (0), epsilon (1e-6)</td></tr>
 *   <tr><td>contrastive</td><td>{@link ContrastiveLoss}</td>
 *       <td>pos_margin (0), neg_margin (1), cosine (0), normalize (1)</td></tr>
 *   <tr><td>triplet</td><td>{@link TripletMarginLoss}</td><td>margin (0.2), squared (1), normalize (1)</td></tr>
 *   <tr><td>multi-similarity</td><td>{@link MultiSimilarityLoss}</td><td>alpha (2), beta (50), lambda (0.5)</td></tr>
 * </table>
 *
 * <p>The last three are pair losses ({@link PairLoss}, {@link #PAIR_NAMES}): they take an optional
 * {@link Miner}; the classification losses refuse one.
 */
public final class Losses {

    private record Entry(String description, Map<String, Double> defaults,
            BiFunction<Map<String, Double>, Miner, EmbeddingLoss> factory, boolean pair) {}

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        register("soft", "softmax cross-entropy on w_j·x without bias, the modified softmax (Liu et al., CVPR 2017)",
                Map.of(), p -> new SoftmaxLoss());
        register("center", "softmax plus a pull of each feature towards its class centre (Wen et al., ECCV 2016)",
                params("lambda", CenterLoss.DEFAULT_LAMBDA, "alpha", CenterLoss.DEFAULT_ALPHA),
                p -> CenterLoss.builder().optLambda(p.get("lambda")).optAlpha(p.get("alpha")).build());
        register("arcface", "ArcFace, an additive angular margin s·cos(θ_y + m) (Deng et al., CVPR 2019)",
                params("s", ArcFaceLoss.DEFAULT_SCALE, "m", ArcFaceLoss.DEFAULT_MARGIN,
                "easy_margin", 0.0, "epsilon", EmbeddingLoss.DEFAULT_EPSILON),
                p -> ArcFaceLoss.builder().optScale(p.get("s")).optMargin(p.get("m"))
                        .optEasyMargin(flag("arcface", "easy_margin", p)).optEpsilon(p.get("epsilon")).build());
        register("arc", "the angular loss, logits k·(π/2 − θ_j): this project's method and the default, not ArcFace"
                + " (Wu & Wang, arXiv:1912.07819)", params("k", AngularLoss.DEFAULT_K, "epsilon", EmbeddingLoss.DEFAULT_EPSILON),
                p -> AngularLoss.builder().optK(p.get("k")).optEpsilon(p.get("epsilon")).build());
        register("cosface", "CosFace / AM-Softmax, an additive cosine margin s·(cos θ_y − m) (Wang et al., CVPR 2018)",
                params("s", CosFaceLoss.DEFAULT_SCALE, "m", CosFaceLoss.DEFAULT_MARGIN),
                p -> CosFaceLoss.builder().optScale(p.get("s")).optMargin(p.get("m")).build());
        for (String name : List.of("sphereface", "lsoftmax")) {
            register(name, name.equals("sphereface")
                    ? "SphereFace, a multiplicative angular margin ψ(m·θ_y) with annealing (Liu et al., CVPR 2017)"
                    : "L-Softmax, the same multiplicative margin as sphereface (Liu et al., ICML 2016)", params("m", (double) SphereFaceLoss.DEFAULT_M,
                    "lambda_base", SphereFaceLoss.DEFAULT_LAMBDA_BASE, "gamma", SphereFaceLoss.DEFAULT_GAMMA,
                    "power", SphereFaceLoss.DEFAULT_POWER, "lambda_min", SphereFaceLoss.DEFAULT_LAMBDA_MIN,
                    "epsilon", EmbeddingLoss.DEFAULT_EPSILON),
                    p -> SphereFaceLoss.builder().optM(integer(name, "m", p)).optLambdaBase(p.get("lambda_base"))
                            .optGamma(p.get("gamma")).optPower(p.get("power")).optLambdaMin(p.get("lambda_min"))
                            .optEpsilon(p.get("epsilon")).build(name));
        }
        register("normface", "normalised softmax s·cos θ_j (Wang et al., ACM MM 2017)", params("s", NormFaceLoss.DEFAULT_SCALE),
                p -> NormFaceLoss.builder().optScale(p.get("s")).build());
        register("adacos", "normalised softmax with an adaptive scale s (Zhang et al., CVPR 2019)", params("dynamic", 1.0, "epsilon", EmbeddingLoss.DEFAULT_EPSILON),
                p -> AdaCosLoss.builder().optDynamic(flag("adacos", "dynamic", p)).optEpsilon(p.get("epsilon")).build());
        register("subcenter-arcface", "ArcFace against the nearest of K sub-centres per class (Deng et al., ECCV 2020)",
                params("subcenters", (double) SubCenterArcFaceLoss.DEFAULT_SUB_CENTERS,
                "s", ArcFaceLoss.DEFAULT_SCALE, "m", ArcFaceLoss.DEFAULT_MARGIN, "easy_margin", 0.0,
                "epsilon", EmbeddingLoss.DEFAULT_EPSILON),
                p -> SubCenterArcFaceLoss.builder().optSubCenters(integer("subcenter-arcface", "subcenters", p))
                        .optScale(p.get("s")).optMargin(p.get("m"))
                        .optEasyMargin(flag("subcenter-arcface", "easy_margin", p)).optEpsilon(p.get("epsilon"))
                        .build());
        registerPair("contrastive", "pair loss: positives pulled together, negatives pushed beyond a margin"
                + " (Hadsell, Chopra & LeCun, CVPR 2006)", params("pos_margin", ContrastiveLoss.DEFAULT_POSITIVE_MARGIN,
                "neg_margin", ContrastiveLoss.DEFAULT_NEGATIVE_MARGIN, "cosine", 0.0, "normalize", 1.0),
                (p, miner) -> ContrastiveLoss.builder().optPositiveMargin(p.get("pos_margin"))
                        .optNegativeMargin(p.get("neg_margin")).optCosine(flag("contrastive", "cosine", p))
                        .optNormalize(flag("contrastive", "normalize", p)).optMiner(miner).build());
        registerPair("triplet", "pair loss: an anchor nearer its positive than its negative by a margin"
                + " (Schroff et al., FaceNet, CVPR 2015)", params("margin", TripletMarginLoss.DEFAULT_MARGIN, "squared", 1.0, "normalize", 1.0),
                (p, miner) -> TripletMarginLoss.builder().optMargin(p.get("margin"))
                        .optSquared(flag("triplet", "squared", p)).optNormalize(flag("triplet", "normalize", p))
                        .optMiner(miner).build());
        registerPair("multi-similarity", "pair loss weighting pairs by their own and relative similarities"
                + " (Wang et al., CVPR 2019)", params("alpha", MultiSimilarityLoss.DEFAULT_ALPHA,
                "beta", MultiSimilarityLoss.DEFAULT_BETA, "lambda", MultiSimilarityLoss.DEFAULT_LAMBDA),
                (p, miner) -> MultiSimilarityLoss.builder().optAlpha(p.get("alpha")).optBeta(p.get("beta"))
                        .optLambda(p.get("lambda")).optMiner(miner).build());
    }

    /** The short names {@link #create} accepts, in the order of the table above. */
    public static final List<String> NAMES = List.copyOf(REGISTRY.keySet());

    /** The names of the pair losses, which train no class weights and take a miner. */
    public static final List<String> PAIR_NAMES =
            REGISTRY.entrySet().stream().filter(e -> e.getValue().pair()).map(Map.Entry::getKey).toList();

    private Losses() {}

    /**
     * Returns a loss's parameters with their defaults, in a fixed order.
     *
     * @param name the short name
     * @return parameter name → default value
     * @throws IllegalArgumentException for an unknown name, suggesting the closest known ones
     */
    public static Map<String, Double> parameters(String name) {
        return Collections.unmodifiableMap(entry(name).defaults());
    }

    /**
     * Creates a loss.
     *
     * @param name the short name, e.g. {@code arc}
     * @param params the loss's parameters by name; unset ones take their defaults
     * @return the loss
     * @throws IllegalArgumentException for an unknown name or parameter, or an invalid value
     */
    public static EmbeddingLoss create(String name, Map<String, Double> params) {
        return create(name, params, null);
    }

    /**
     * Creates a loss with a miner.
     *
     * @param name the short name, e.g. {@code triplet}
     * @param params the loss's parameters by name; unset ones take their defaults
     * @param miner the miner for a pair loss, or null for none
     * @return the loss
     * @throws IllegalArgumentException for an unknown name or parameter, an invalid value, or a
     *     miner given to a loss that is not a pair loss
     */
    public static EmbeddingLoss create(String name, Map<String, Double> params, Miner miner) {
        String n = NameSuggestions.resolve("--loss", name, REGISTRY.keySet());
        Entry e = REGISTRY.get(n);
        if (miner != null && !e.pair()) {
            throw new IllegalArgumentException("--miner " + miner.name() + " needs a pair loss (" + String.join(", ",
                    PAIR_NAMES) + "); '" + n + "' trains class weights and uses every sample of a batch");
        }
        for (Map.Entry<String, Double> p : params.entrySet()) {
            if (!e.defaults().containsKey(p.getKey())) {
                throw new IllegalArgumentException("loss '" + n + "' has no parameter '" + p.getKey() + "'"
                        + (e.defaults().isEmpty() ? "; it takes none" : "; "
                                + NameSuggestions.hint(NameSuggestions.closest(p.getKey(), e.defaults().keySet()),
                                        e.defaults().keySet())));
            }
            if (p.getValue() == null || Double.isNaN(p.getValue())) {
                throw new IllegalArgumentException("loss '" + n + "': parameter '" + p.getKey() + "' needs a number");
            }
        }
        Map<String, Double> resolved = new LinkedHashMap<>(e.defaults());
        resolved.putAll(params);
        return e.factory().apply(resolved, miner);
    }

    /**
     * Returns whether a name is a pair loss's.
     *
     * @param name a loss's short name, in any case
     * @return true for {@code contrastive}, {@code triplet} and {@code multi-similarity}
     * @throws IllegalArgumentException for an unknown name
     */
    public static boolean isPairLoss(String name) {
        return entry(name).pair();
    }

    /**
     * Creates a loss with every parameter at its default.
     *
     * @param name the short name
     * @return the loss
     */
    public static EmbeddingLoss create(String name) {
        return create(name, Map.of());
    }

    /**
     * Describes every loss, one line each, for help texts: its parameters with their defaults, what
     * it is and the paper it comes from.
     *
     * @return e.g. {@code arc: k=4, epsilon=1e-6 -- the angular loss, ... (Wu & Wang, arXiv:1912.07819)}
     */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Entry> e : REGISTRY.entrySet()) {
            List<String> ps = new ArrayList<>();
            e.getValue().defaults().forEach((k, v) -> ps.add(k + "=" + format(v)));
            lines.add(e.getKey() + ": " + (ps.isEmpty() ? "no parameters" : String.join(", ", ps)) + " -- "
                    + e.getValue().description());
        }
        return lines;
    }

    /**
     * Returns one line saying what a loss is and the paper it comes from.
     *
     * @param name the short name, in any case
     * @return the description
     * @throws IllegalArgumentException for an unknown name
     */
    public static String description(String name) {
        return entry(name).description();
    }

    /**
     * Writes a parameter's value as people write it: {@code 4}, {@code 0.35}, {@code 1e-6}.
     *
     * @param v the value
     * @return the text
     */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        if (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6) {
            return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
        String[] parts = String.format(java.util.Locale.ROOT, "%.6e", v).split("e");
        String mantissa = parts[0].replaceAll("\\.?0+$", "");
        return mantissa + "e" + Integer.parseInt(parts[1]);
    }

    private static Entry entry(String name) {
        return REGISTRY.get(NameSuggestions.resolve("--loss", name, REGISTRY.keySet()));
    }

    private static void register(String name, String description, Map<String, Double> defaults,
            Function<Map<String, Double>, EmbeddingLoss> factory) {
        REGISTRY.put(name, new Entry(description, defaults, (p, miner) -> factory.apply(p), false));
    }

    private static void registerPair(String name, String description, Map<String, Double> defaults,
            BiFunction<Map<String, Double>, Miner, EmbeddingLoss> factory) {
        REGISTRY.put(name, new Entry(description, defaults, factory, true));
    }

    private static Map<String, Double> params(Object... keyValues) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], (Double) keyValues[i + 1]);
        }
        return m;
    }

    private static boolean flag(String loss, String key, Map<String, Double> p) {
        double v = p.get(key);
        if (v != 0 && v != 1) {
            throw new IllegalArgumentException("loss '" + loss + "': parameter '" + key + "' is a switch, 0 or 1, got " + v);
        }
        return v == 1;
    }

    private static int integer(String loss, String key, Map<String, Double> p) {
        double v = p.get(key);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("loss '" + loss + "': parameter '" + key + "' must be a whole number, got " + v);
        }
        return (int) v;
    }
}
