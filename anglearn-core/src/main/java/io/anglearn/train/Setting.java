package io.anglearn.train;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The descriptor of one training setting: its name (the {@link TrainingConfig} field and the key
 * of a configuration file), its command-line flags and parameter label, which commands take it,
 * its help text, the text of its default, and the checks of its value. One descriptor per
 * setting, listed in {@link TrainingSettings#ALL}, drives the {@code train} and {@code lr-find}
 * options and their help, {@link TrainingConfig#validate()}, the copy of a configuration, the
 * layering of given options over a {@code --config} file or a preset, and the settings table of
 * docs/training.md.
 *
 * <p>The value lives in the public field of {@link TrainingConfig} named {@link #key()}; that
 * field's initial value is the default. Checks that relate several settings are
 * {@link TrainingConfig#validate()}'s own, run after every setting's checks.
 *
 * @param <T> the type of the value, boxed ({@code Integer} for an {@code int} field)
 */
public final class Setting<T> {

    /** Which commands take a setting as an option. */
    public enum Scope {
        /** The data, network, loss and optimiser: {@code train} and {@code lr-find}. */
        TRAINING,
        /** The schedule, the run's length and its recording: {@code train} only. */
        RUN,
        /** No option: set in a configuration file, by a preset or by a study. */
        FILE
    }

    /** How a setting's option takes its value. */
    public enum Kind {
        /** {@code --flag VALUE}. */
        VALUE,
        /** {@code --flag} alone sets true. */
        SWITCH,
        /** {@code --flag} sets true, {@code --no-flag} false (the flag is given without {@code no-}). */
        NEGATABLE,
        /** {@code --flag} alone sets false (the flag names the "off" side, e.g. {@code --no-tensorboard}). */
        OFF_SWITCH,
        /** {@code --flag NAME=VALUE}, repeatable: a map of named numbers, replacing the whole map. */
        PARAMETERS
    }

    /** The placeholder in a help text that stands for {@link #defaultText()}. */
    public static final String DEFAULT_PLACEHOLDER = "{default}";

    private final String key;
    private final Field field;
    private final List<String> flags;
    private final String paramLabel;
    private final Scope scope;
    private final Kind kind;
    private final String help;
    private final String defaultText;
    private final List<Consumer<T>> checks;

    private Setting(Builder<T> b) {
        this.key = b.key;
        this.field = b.field;
        this.flags = List.copyOf(b.flags);
        this.paramLabel = b.paramLabel;
        this.scope = b.scope;
        this.kind = b.kind;
        this.defaultText = b.defaultText != null ? b.defaultText : format(read(new TrainingConfig()));
        this.help = b.help.apply(defaultText);
        this.checks = List.copyOf(b.checks);
    }

    /**
     * Starts the descriptor of the {@link TrainingConfig} field named {@code key}.
     *
     * @param key the field's name, which is also the configuration file's key
     * @param <T> the value's type, boxed
     * @return the builder
     */
    public static <T> Builder<T> builder(String key) {
        return new Builder<>(key);
    }

    /** Returns the name: the configuration field and file key, e.g. {@code batchSize}. */
    public String key() {
        return key;
    }

    /** Returns the command-line flags, the first the main one; empty for a {@link Scope#FILE} setting. */
    public List<String> flags() {
        return flags;
    }

    /** Returns the name errors give the setting: its first flag, or its key when it has none. */
    public String flag() {
        return flags.isEmpty() ? key : flags.get(0);
    }

    /** Returns the option's parameter label, e.g. {@code N}; null for a switch. */
    public String paramLabel() {
        return paramLabel;
    }

    /** Returns which commands take the setting. */
    public Scope scope() {
        return scope;
    }

    /** Returns how the option takes its value. */
    public Kind kind() {
        return kind;
    }

    /** Returns the help text, the default filled in. */
    public String help() {
        return help;
    }

    /** Returns the default as the help and the docs show it, e.g. {@code 256} or {@code none}. */
    public String defaultText() {
        return defaultText;
    }

    /** Returns the type of the option's value: the field's type, boxed. */
    public Class<?> type() {
        Class<?> t = field.getType();
        if (t == int.class) {
            return Integer.class;
        } else if (t == long.class) {
            return Long.class;
        } else if (t == double.class) {
            return Double.class;
        } else if (t == boolean.class) {
            return Boolean.class;
        }
        return t;
    }

    /**
     * Returns the setting's value in a configuration.
     *
     * @param config the configuration
     * @return the value, boxed
     */
    @SuppressWarnings("unchecked")
    public T get(TrainingConfig config) {
        return (T) read(config);
    }

    /**
     * Sets the setting's value in a configuration; a map or list is copied, so the configuration
     * never shares it.
     *
     * @param config the configuration
     * @param value the value (null only for a field that is not primitive)
     */
    public void set(TrainingConfig config, T value) {
        try {
            field.set(config, copyOf(value));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sets the setting from the value its option was given on the command line: an
     * {@link Kind#OFF_SWITCH} sets false whatever the value.
     *
     * @param config the configuration
     * @param given the option's value
     */
    @SuppressWarnings("unchecked")
    public void setGiven(TrainingConfig config, Object given) {
        set(config, kind == Kind.OFF_SWITCH ? (T) Boolean.FALSE : (T) given);
    }

    /**
     * Copies the setting from one configuration to another (maps and lists copied).
     *
     * @param from the source
     * @param to the destination
     */
    public void copy(TrainingConfig from, TrainingConfig to) {
        set(to, get(from));
    }

    /**
     * Checks the setting's value in a configuration.
     *
     * @param config the configuration
     * @throws IllegalArgumentException naming the option, when the value is invalid
     */
    public void check(TrainingConfig config) {
        T value = get(config);
        for (Consumer<T> c : checks) {
            c.accept(value);
        }
    }

    private Object read(TrainingConfig config) {
        try {
            return field.get(config);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object copyOf(Object value) {
        if (value instanceof Map<?, ?> m) {
            return new LinkedHashMap<>(m);
        } else if (value instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        return value;
    }

    /**
     * Spells a default as the help and the docs show it: a rate as {@code 3e-3}, other numbers
     * plainly, a switch as on or off.
     *
     * @param value the value
     * @return the text
     */
    public static String format(Object value) {
        if (value instanceof Double d) {
            if (d != 0 && Math.abs(d) < 0.01) {
                int exponent = (int) Math.floor(Math.log10(Math.abs(d)));
                String mantissa = BigDecimal.valueOf(d).scaleByPowerOfTen(-exponent).stripTrailingZeros().toPlainString();
                return mantissa + "e" + exponent;
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        } else if (value instanceof Boolean b) {
            return b ? "on" : "off";
        }
        return String.valueOf(value);
    }

    /**
     * Builds a {@link Setting}; {@link #setHelp} is required, the flags are required unless the
     * scope is {@link Scope#FILE}.
     *
     * @param <T> the value's type, boxed
     */
    public static final class Builder<T> {
        private final String key;
        private final Field field;
        private final List<String> flags = new ArrayList<>();
        private String paramLabel;
        private Scope scope = Scope.TRAINING;
        private Kind kind = Kind.VALUE;
        private Function<String, String> help;
        private String defaultText;
        private final List<Consumer<T>> checks = new ArrayList<>();

        private Builder(String key) {
            this.key = key;
            try {
                this.field = TrainingConfig.class.getField(key);
            } catch (NoSuchFieldException e) {
                throw new IllegalArgumentException("TrainingConfig has no setting '" + key + "'", e);
            }
            if (Modifier.isStatic(field.getModifiers())) {
                throw new IllegalArgumentException(key + " is not a setting but a constant");
            }
        }

        /**
         * Sets the command-line flags, the main one first, e.g. {@code --device, --devices}.
         *
         * @param names the flags
         * @param label the parameter label, e.g. {@code N}; ignored for a switch
         * @return this builder
         */
        public Builder<T> setFlags(String label, String... names) {
            flags.addAll(List.of(names));
            paramLabel = label;
            return this;
        }

        /**
         * Makes the option a switch of the given kind (default {@link Kind#VALUE}).
         *
         * @param kind how the option takes its value
         * @param names the flags
         * @return this builder
         */
        public Builder<T> setSwitch(Kind kind, String... names) {
            flags.addAll(List.of(names));
            this.kind = kind;
            return this;
        }

        /**
         * Makes the option a repeatable {@code NAME=VALUE} one ({@link Kind#PARAMETERS}).
         *
         * @param label the parameter label
         * @param names the flags
         * @return this builder
         */
        public Builder<T> setParameters(String label, String... names) {
            setFlags(label, names);
            kind = Kind.PARAMETERS;
            return this;
        }

        /**
         * Sets the help text; {@value Setting#DEFAULT_PLACEHOLDER} stands for the default.
         *
         * @param text the help, one or more sentences
         * @return this builder
         */
        public Builder<T> setHelp(String text) {
            help = d -> text.replace(DEFAULT_PLACEHOLDER, d);
            return this;
        }

        /**
         * Sets the help text as a function of the default's text, for a help that marks the
         * default in a list of names.
         *
         * @param text the help, given the default's text
         * @return this builder
         */
        public Builder<T> setHelp(Function<String, String> text) {
            help = text;
            return this;
        }

        /**
         * Sets which commands take the setting (default {@link Scope#TRAINING}).
         *
         * @param s the scope
         * @return this builder
         */
        public Builder<T> optScope(Scope s) {
            scope = s;
            return this;
        }

        /**
         * Sets the text of the default (default: the field's initial value, formatted), for a
         * default that is a rule rather than a value, e.g. {@code none} or {@code from the name}.
         *
         * @param text the text
         * @return this builder
         */
        public Builder<T> optDefaultText(String text) {
            defaultText = text;
            return this;
        }

        /**
         * Adds a check: a value failing it is refused with "{@code FLAG EXPECTATION, got VALUE}".
         *
         * @param ok whether a value is valid
         * @param expectation what a valid value is, e.g. {@code must be > 0}
         * @return this builder
         */
        public Builder<T> optCheck(Predicate<T> ok, String expectation) {
            checks.add(v -> {
                if (!ok.test(v)) {
                    String name = flags.isEmpty() ? key : flags.get(0);
                    throw new IllegalArgumentException(name + " " + expectation + ", got " + v);
                }
            });
            return this;
        }

        /**
         * Adds a check that throws {@link IllegalArgumentException} with its own message.
         *
         * @param check the check
         * @return this builder
         */
        public Builder<T> optCheck(Consumer<T> check) {
            checks.add(check);
            return this;
        }

        /**
         * Builds the descriptor.
         *
         * @return the setting
         */
        public Setting<T> build() {
            Objects.requireNonNull(help, key + ": the help text is required");
            if (scope != Scope.FILE && flags.isEmpty()) {
                throw new IllegalArgumentException(key + ": an option needs a flag, or Scope.FILE");
            }
            if (kind == Kind.VALUE && scope != Scope.FILE && paramLabel == null) {
                throw new IllegalArgumentException(key + ": an option with a value needs a parameter label");
            }
            return new Setting<>(this);
        }
    }
}
