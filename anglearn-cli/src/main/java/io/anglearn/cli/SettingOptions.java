package io.anglearn.cli;

import io.anglearn.train.Setting;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The training settings' options, made from their {@link Setting descriptors}: {@code train} takes
 * every setting that has a flag, {@code lr-find} those of the data, network, loss and optimiser
 * ({@link Setting.Scope#TRAINING}). A command names one of the {@link IModelTransformer}s below in
 * its {@code @Command(modelTransformer = ...)}; after parsing, {@link #given} collects the options
 * given, which are applied over a {@code --config} file or a preset, so that an option overrides
 * them only when given. Each option's help is its setting's.
 */
final class SettingOptions {

    private final Map<Setting<?>, Object> given;

    private SettingOptions(Map<Setting<?>, Object> given) {
        this.given = given;
    }

    /** Adds every setting with a flag to {@code train}, after {@code --config}, {@code --preset} and {@code --resume}. */
    static final class ForTrain implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return addGrouped(spec, s -> s.scope() != Setting.Scope.FILE);
        }
    }

    /** Adds the settings of the data, network, loss and optimiser to {@code lr-find}, before its own options. */
    static final class ForLrFind implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return addGrouped(spec, s -> s.scope() == Setting.Scope.TRAINING);
        }
    }

    /**
     * Adds to {@code reproduce} the settings it sets for every cell of a study, {@code --device}
     * and {@code --data-dir}, before {@code --results-dir}.
     */
    static final class ForReproduce implements IModelTransformer {
        /** The settings {@code reproduce} takes. */
        static final Set<String> KEYS = Set.of("device", "dataDir");

        @Override
        public CommandSpec transform(CommandSpec spec) {
            return addBefore(spec, "--results-dir", s -> KEYS.contains(s.key()));
        }
    }

    /**
     * Adds the options of the settings taken, before the option named {@code before}
     * (so that the help lists them where the command's own options would have been).
     */
    private static CommandSpec addBefore(CommandSpec spec, String before, Predicate<Setting<?>> taken) {
        List<OptionSpec> tail = new ArrayList<>();
        boolean found = false;
        for (OptionSpec o : new ArrayList<>(spec.options())) {
            found |= List.of(o.names()).contains(before);
            if (found) {
                tail.add(o);
                spec.remove(o);
            }
        }
        if (!found) {
            throw new IllegalStateException(spec.qualifiedName() + " has no option " + before);
        }
        for (Setting<?> s : TrainingSettings.ALL) {
            if (taken.test(s)) {
                spec.addOption(option(s));
            }
        }
        tail.forEach(spec::addOption);
        return spec;
    }

    /** The help's sections of the training settings, in order, each with the settings' keys it lists. */
    static final Map<String, List<String>> SECTIONS = sections();

    private static Map<String, List<String>> sections() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("Data", List.of("dataset", "labels", "augment", "imageSize", "imageChannels", "testFraction", "badImages",
                "dataDir", "limitTrain", "limitTest", "trainClasses", "testClasses", "splitClasses", "dataWorkers"));
        m.put("Model", List.of("arch", "backbone", "shortcut", "convInit", "classInit", "embeddingDim",
                "freezeBackboneEpochs"));
        m.put("Loss", List.of("loss", "lossParams", "miner", "minerParams"));
        m.put("Optimisation", List.of("optimizer", "learningRate", "momentum", "weightDecay", "adamEpsilon", "nesterov",
                "batchSize", "keepLastBatch", "sampler"));
        m.put("Schedule", List.of("epochs", "schedule", "warmupFraction", "maxMomentum", "minMomentum", "stepEpochs",
                "stepGamma", "scheduleRestarts"));
        m.put("Evaluation", List.of("evalEvery", "angleInterval", "targetAngleSamples"));
        m.put("Run", List.of("name", "runsDir", "seed", "device", "checkpointEvery", "keepCheckpoints", "onNonFinite",
                "tensorBoard", "preset"));
        return m;
    }

    /**
     * Adds the options of the settings taken in sections with headings (data, model, loss,
     * optimisation, schedule, evaluation, run), after the command's own options, so that a long
     * help reads by topic. The sections are picocli argument groups that only group the help:
     * they neither validate nor exclude.
     */
    private static CommandSpec addGrouped(CommandSpec spec, Predicate<Setting<?>> taken) {
        Set<String> placed = new java.util.HashSet<>();
        for (Map.Entry<String, List<String>> section : SECTIONS.entrySet()) {
            ArgGroupSpec.Builder g = ArgGroupSpec.builder().heading("%n" + section.getKey() + ":%n").exclusive(false)
                    .validate(false).multiplicity("0..1");
            int n = 0;
            for (String key : section.getValue()) {
                Setting<?> s = TrainingSettings.get(key);
                if (taken.test(s) && !s.flags().isEmpty()) {
                    g.addArg(option(s));
                    n++;
                }
                placed.add(key);
            }
            if (n > 0) {
                spec.addArgGroup(g.build());
            }
        }
        for (Setting<?> s : TrainingSettings.ALL) {
            if (taken.test(s) && !s.flags().isEmpty() && !placed.contains(s.key())) {
                throw new IllegalStateException("the setting " + s.key() + " has no section in the help");
            }
        }
        return spec;
    }

    private static OptionSpec option(Setting<?> s) {
        OptionSpec.Builder b = OptionSpec.builder(s.flags().toArray(new String[0])).description(s.help());
        switch (s.kind()) {
            case VALUE -> b.type(s.type()).paramLabel(s.paramLabel());
            case SWITCH, OFF_SWITCH -> b.type(Boolean.class).arity("0");
            case NEGATABLE -> b.type(Boolean.class).arity("0").negatable(true);
            case PARAMETERS -> b.type(Map.class).auxiliaryTypes(String.class, Double.class).paramLabel(s.paramLabel());
            default -> throw new IllegalStateException("no option for " + s.kind());
        }
        return b.build();
    }

    /**
     * Returns the setting options given on a parsed command line.
     *
     * @param spec the command, parsed
     * @return the options given, by setting
     */
    static SettingOptions given(CommandSpec spec) {
        ParseResult parsed = spec.commandLine().getParseResult();
        Map<Setting<?>, Object> given = new LinkedHashMap<>();
        for (Setting<?> s : TrainingSettings.ALL) {
            OptionSpec o = s.flags().isEmpty() ? null : spec.findOption(s.flag());
            if (o != null && parsed.hasMatchedOption(o)) {
                given.put(s, o.getValue());
            }
        }
        return new SettingOptions(given);
    }

    /**
     * Returns whether an option was given other than those of the named settings.
     *
     * @param keys the settings' keys to leave out
     * @return true when another was given
     */
    boolean anyGivenExcept(String... keys) {
        List<String> except = List.of(keys);
        return given.keySet().stream().anyMatch(s -> !except.contains(s.key()));
    }

    /**
     * Returns the value a setting's option was given.
     *
     * @param key the setting's key
     * @return the value, or null when the option was not given
     */
    Object value(String key) {
        return given.get(TrainingSettings.get(key));
    }

    /**
     * Returns the value a setting's option was given, or else the setting's default.
     *
     * @param key the setting's key
     * @return the value
     */
    Object valueOrDefault(String key) {
        Setting<?> s = TrainingSettings.get(key);
        return given.containsKey(s) ? given.get(s) : s.get(new TrainingConfig());
    }

    /**
     * Checks the folder options: {@code --data-dir} must exist, unless the dataset may be
     * downloaded into it.
     *
     * @param download whether a missing dataset will be downloaded into {@code --data-dir}
     */
    void checkPaths(boolean download) {
        Object dataDir = value("dataDir");
        if (dataDir != null) {
            if (download) {
                PathOptions.writableDirectory("--data-dir", Path.of((String) dataDir));
            } else {
                PathOptions.existingDirectory("--data-dir", Path.of((String) dataDir));
            }
        }
    }

    /**
     * Applies the given options of some settings, e.g. those a preset keys on.
     *
     * @param c the configuration to change
     * @param keys the settings' keys
     */
    void apply(TrainingConfig c, Collection<String> keys) {
        given.forEach((s, v) -> {
            if (keys.contains(s.key())) {
                s.setGiven(c, v);
            }
        });
    }

    /**
     * Applies every given option.
     *
     * @param c the configuration to change
     */
    void apply(TrainingConfig c) {
        given.forEach((s, v) -> s.setGiven(c, v));
    }
}
