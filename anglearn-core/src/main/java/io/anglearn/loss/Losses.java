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
 *
 * <p>Each loss is a {@link LossProvider}, which declares its parameters ({@link LossParameter}:
 * name, kind, default, description). A user's loss joins them by naming its provider in
 * {@code META-INF/services/io.anglearn.loss.LossProvider} on the class path: it is then created,
 * validated, listed and trained by name like these, without any change to anglearn.
 */
public final class Losses {

    /** A loss anglearn ships: its declaration and its factory, registered like a user's. */
    private record Builtin(String name, String description, List<LossParameter> parameters, boolean pairLoss,
            BiFunction<LossArguments, Miner, EmbeddingLoss> factory) implements LossProvider {
        @Override
        public EmbeddingLoss create(LossArguments arguments, Miner miner) {
            return factory.apply(arguments, miner);
        }
    }

    private static final Map<String, LossProvider> REGISTRY = new LinkedHashMap<>();

    private static final LossParameter EPSILON = LossParameter.real("epsilon", EmbeddingLoss.DEFAULT_EPSILON,
            "clamp of cos θ away from ±1 before its arccos");

    static {
        register("soft", "softmax cross-entropy on w_j·x without bias, the modified softmax (Liu et al., CVPR 2017)",
                List.of(), a -> new SoftmaxLoss());
        register("center", "softmax plus a pull of each feature towards its class centre (Wen et al., ECCV 2016)",
                List.of(LossParameter.real("lambda", CenterLoss.DEFAULT_LAMBDA, "weight of the centre term"),
                        LossParameter.real("alpha", CenterLoss.DEFAULT_ALPHA, "rate at which the centres follow their"
                                + " features")),
                a -> CenterLoss.builder().optLambda(a.real("lambda")).optAlpha(a.real("alpha")).build());
        LossParameter scale64 = LossParameter.real("s", ArcFaceLoss.DEFAULT_SCALE, "scale of the cosine logits");
        LossParameter arcMargin = LossParameter.real("m", ArcFaceLoss.DEFAULT_MARGIN, "angular margin added to the true"
                + " class's angle (radians)");
        LossParameter easy = LossParameter.flag("easy_margin", false, "apply the margin only where cos θ_y > 0");
        register("arcface", "ArcFace, an additive angular margin s·cos(θ_y + m) (Deng et al., CVPR 2019)",
                List.of(scale64, arcMargin, easy, EPSILON),
                a -> ArcFaceLoss.builder().optScale(a.real("s")).optMargin(a.real("m"))
                        .optEasyMargin(a.flag("easy_margin")).optEpsilon(a.real("epsilon")).build());
        register("arc", "the angular loss, logits k·(π/2 − θ_j): this project's method and the default, not ArcFace"
                + " (Wu & Wang, arXiv:1912.07819)",
                List.of(LossParameter.real("k", AngularLoss.DEFAULT_K, "scale of the angular logits k·(π/2 − θ_j)"),
                        EPSILON),
                a -> AngularLoss.builder().optK(a.real("k")).optEpsilon(a.real("epsilon")).build());
        register("cosface", "CosFace / AM-Softmax, an additive cosine margin s·(cos θ_y − m) (Wang et al., CVPR 2018)",
                List.of(LossParameter.real("s", CosFaceLoss.DEFAULT_SCALE, "scale of the cosine logits"),
                        LossParameter.real("m", CosFaceLoss.DEFAULT_MARGIN, "margin subtracted from the true class's"
                                + " cosine")),
                a -> CosFaceLoss.builder().optScale(a.real("s")).optMargin(a.real("m")).build());
        List<LossParameter> sphere = List.of(
                LossParameter.integer("m", SphereFaceLoss.DEFAULT_M, "multiplicative angular margin, a whole number"),
                LossParameter.real("lambda_base", SphereFaceLoss.DEFAULT_LAMBDA_BASE, "starting weight λ of the plain"
                        + " cosine logit, annealed away"),
                LossParameter.real("gamma", SphereFaceLoss.DEFAULT_GAMMA, "annealing rate of λ"),
                LossParameter.real("power", SphereFaceLoss.DEFAULT_POWER, "annealing power of λ"),
                LossParameter.real("lambda_min", SphereFaceLoss.DEFAULT_LAMBDA_MIN, "floor of λ"), EPSILON);
        for (String name : List.of("sphereface", "lsoftmax")) {
            register(name, name.equals("sphereface")
                    ? "SphereFace, a multiplicative angular margin ψ(m·θ_y) with annealing (Liu et al., CVPR 2017)"
                    : "L-Softmax, the same multiplicative margin as sphereface (Liu et al., ICML 2016)", sphere,
                    a -> SphereFaceLoss.builder().optM(a.integer("m")).optLambdaBase(a.real("lambda_base"))
                            .optGamma(a.real("gamma")).optPower(a.real("power")).optLambdaMin(a.real("lambda_min"))
                            .optEpsilon(a.real("epsilon")).build(name));
        }
        register("normface", "normalised softmax s·cos θ_j (Wang et al., ACM MM 2017)",
                List.of(LossParameter.real("s", NormFaceLoss.DEFAULT_SCALE, "scale of the cosine logits")),
                a -> NormFaceLoss.builder().optScale(a.real("s")).build());
        register("adacos", "normalised softmax with an adaptive scale s (Zhang et al., CVPR 2019)",
                List.of(LossParameter.flag("dynamic", true, "adapt s during training (0: the fixed √2·log(C − 1))"),
                        EPSILON),
                a -> AdaCosLoss.builder().optDynamic(a.flag("dynamic")).optEpsilon(a.real("epsilon")).build());
        register("subcenter-arcface", "ArcFace against the nearest of K sub-centres per class (Deng et al., ECCV 2020)",
                List.of(LossParameter.integer("subcenters", SubCenterArcFaceLoss.DEFAULT_SUB_CENTERS, "sub-centres K per"
                        + " class"), scale64, arcMargin, easy, EPSILON),
                a -> SubCenterArcFaceLoss.builder().optSubCenters(a.integer("subcenters")).optScale(a.real("s"))
                        .optMargin(a.real("m")).optEasyMargin(a.flag("easy_margin")).optEpsilon(a.real("epsilon"))
                        .build());
        LossParameter normalize = LossParameter.flag("normalize", true, "L2-normalise the features first");
        registerPair("contrastive", "pair loss: positives pulled together, negatives pushed beyond a margin"
                + " (Hadsell, Chopra & LeCun, CVPR 2006)",
                List.of(LossParameter.real("pos_margin", ContrastiveLoss.DEFAULT_POSITIVE_MARGIN, "distance under which a"
                        + " positive pair is not pulled"),
                        LossParameter.real("neg_margin", ContrastiveLoss.DEFAULT_NEGATIVE_MARGIN, "distance beyond which a"
                                + " negative pair is not pushed"),
                        LossParameter.flag("cosine", false, "compare by cosine similarity instead of Euclidean distance"),
                        normalize),
                (a, miner) -> ContrastiveLoss.builder().optPositiveMargin(a.real("pos_margin"))
                        .optNegativeMargin(a.real("neg_margin")).optCosine(a.flag("cosine"))
                        .optNormalize(a.flag("normalize")).optMiner(miner).build());
        registerPair("triplet", "pair loss: an anchor nearer its positive than its negative by a margin"
                + " (Schroff et al., FaceNet, CVPR 2015)",
                List.of(LossParameter.real("margin", TripletMarginLoss.DEFAULT_MARGIN, "how much nearer the positive"
                        + " must be"), LossParameter.flag("squared", true, "use squared Euclidean distances"), normalize),
                (a, miner) -> TripletMarginLoss.builder().optMargin(a.real("margin")).optSquared(a.flag("squared"))
                        .optNormalize(a.flag("normalize")).optMiner(miner).build());
        registerPair("multi-similarity", "pair loss weighting pairs by their own and relative similarities"
                + " (Wang et al., CVPR 2019)",
                List.of(LossParameter.real("alpha", MultiSimilarityLoss.DEFAULT_ALPHA, "sharpness of the positive pairs'"
                        + " weights"),
                        LossParameter.real("beta", MultiSimilarityLoss.DEFAULT_BETA, "sharpness of the negative pairs'"
                                + " weights"),
                        LossParameter.real("lambda", MultiSimilarityLoss.DEFAULT_LAMBDA, "similarity the weights are"
                                + " centred on")),
                (a, miner) -> MultiSimilarityLoss.builder().optAlpha(a.real("alpha")).optBeta(a.real("beta"))
                        .optLambda(a.real("lambda")).optMiner(miner).build());
        // A user's losses: every LossProvider named in META-INF/services/io.anglearn.loss.LossProvider.
        java.util.Iterator<LossProvider> found = java.util.ServiceLoader.load(LossProvider.class).iterator();
        while (true) {
            LossProvider p;
            try {
                if (!found.hasNext()) {
                    break;
                }
                p = found.next();
            } catch (java.util.ServiceConfigurationError e) {
                // One broken registration must not take the shipped losses down with it.
                System.err.println("anglearn: a registered loss could not be loaded and is left out: " + e.getMessage());
                continue;
            }
            try {
                add(p);
            } catch (RuntimeException e) {
                System.err.println("anglearn: the registered loss " + p.getClass().getName() + " is left out: "
                        + e.getMessage());
            }
        }
    }

    /** The short names {@link #create} accepts, in the order of the table above. */
    public static final List<String> NAMES = List.copyOf(REGISTRY.keySet());

    /** The names of the pair losses, which train no class weights and take a miner. */
    public static final List<String> PAIR_NAMES =
            REGISTRY.entrySet().stream().filter(e -> e.getValue().pairLoss()).map(Map.Entry::getKey).toList();

    private Losses() {}

    /**
     * Returns a loss's parameters with their defaults, in a fixed order.
     *
     * @param name the short name
     * @return parameter name → default value
     * @throws IllegalArgumentException for an unknown name, suggesting the closest known ones
     */
    public static Map<String, Double> parameters(String name) {
        Map<String, Double> m = new LinkedHashMap<>();
        entry(name).parameters().forEach(p -> m.put(p.name(), p.defaultValue()));
        return Collections.unmodifiableMap(m);
    }

    /**
     * Returns a loss's parameter declarations: name, kind, default and description.
     *
     * @param name the short name
     * @return the declarations, in their order
     * @throws IllegalArgumentException for an unknown name, suggesting the closest known ones
     */
    public static List<LossParameter> declarations(String name) {
        return List.copyOf(entry(name).parameters());
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
        LossProvider e = REGISTRY.get(n);
        if (miner != null && !e.pairLoss()) {
            throw new IllegalArgumentException("--miner " + miner.name() + " needs a pair loss (" + String.join(", ",
                    PAIR_NAMES) + "); '" + n + "' trains class weights and uses every sample of a batch");
        }
        Map<String, LossParameter> declared = new LinkedHashMap<>();
        e.parameters().forEach(p -> declared.put(p.name(), p));
        for (Map.Entry<String, Double> p : params.entrySet()) {
            if (!declared.containsKey(p.getKey())) {
                throw new IllegalArgumentException("loss '" + n + "' has no parameter '" + p.getKey() + "'"
                        + (declared.isEmpty() ? "; it takes none" : "; "
                                + NameSuggestions.hint(NameSuggestions.closest(p.getKey(), declared.keySet()),
                                        declared.keySet())));
            }
            if (p.getValue() == null || Double.isNaN(p.getValue())) {
                throw new IllegalArgumentException("loss '" + n + "': parameter '" + p.getKey() + "' needs a number");
            }
        }
        Map<String, Double> resolved = new LinkedHashMap<>();
        for (LossParameter p : declared.values()) {
            resolved.put(p.name(), p.check(n, params.getOrDefault(p.name(), p.defaultValue())));
        }
        return e.create(new LossArguments(resolved), e.pairLoss() ? miner : null);
    }

    /**
     * Returns whether a name is a pair loss's.
     *
     * @param name a loss's short name, in any case
     * @return true for {@code contrastive}, {@code triplet} and {@code multi-similarity}
     * @throws IllegalArgumentException for an unknown name
     */
    public static boolean isPairLoss(String name) {
        return entry(name).pairLoss();
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
        for (Map.Entry<String, LossProvider> e : REGISTRY.entrySet()) {
            List<String> ps = new ArrayList<>();
            e.getValue().parameters().forEach(p -> ps.add(p.name() + "=" + format(p.defaultValue())));
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

    private static LossProvider entry(String name) {
        return REGISTRY.get(NameSuggestions.resolve("--loss", name, REGISTRY.keySet()));
    }

    private static void add(LossProvider p) {
        String name = p.name();
        if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("a loss's name is lower-case letters, digits and hyphens, got '" + name + "'");
        }
        if (REGISTRY.containsKey(name)) {
            throw new IllegalArgumentException("the name '" + name + "' is taken by " + REGISTRY.get(name).description());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (LossParameter q : p.parameters()) {
            if (!seen.add(q.name())) {
                throw new IllegalArgumentException("loss '" + name + "' declares the parameter '" + q.name() + "' twice");
            }
        }
        REGISTRY.put(name, p);
    }

    private static void register(String name, String description, List<LossParameter> parameters,
            Function<LossArguments, EmbeddingLoss> factory) {
        add(new Builtin(name, description, parameters, false, (a, miner) -> factory.apply(a)));
    }

    private static void registerPair(String name, String description, List<LossParameter> parameters,
            BiFunction<LossArguments, Miner, EmbeddingLoss> factory) {
        add(new Builtin(name, description, parameters, true, factory));
    }
}
