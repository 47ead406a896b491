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
            return addBefore(spec, "--no-progress", s -> s.scope() != Setting.Scope.FILE);
        }
    }

    /** Adds the settings of the data, network, loss and optimiser to {@code lr-find}, before its own options. */
    static final class ForLrFind implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return addBefore(spec, "--min-lr", s -> s.scope() == Setting.Scope.TRAINING);
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
