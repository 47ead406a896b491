package io.anglearn.cli;

import io.anglearn.data.DatasetFormatException;
import io.anglearn.data.DatasetLocator;
import io.anglearn.data.ImageDecodeException;
import io.anglearn.engine.Engines;
import io.anglearn.engine.NativeLibraryException;
import io.anglearn.util.IoErrors;
import io.anglearn.util.NameSuggestions;
import java.io.PrintWriter;
import java.util.List;
import java.nio.file.FileSystemException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code anglearn} command. */
@Command(name = "anglearn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train discriminative embedded features with the angular loss (Wu & Wang,"
                + " arXiv:1912.07819) and the margin-loss family, on DJL + PyTorch.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, EmbedCommand.class, PredictCommand.class,
                LrFindCommand.class, DataCommand.class, CurvesCommand.class, ModelCommand.class, ReproduceCommand.class,
                BenchCommand.class, ReportCommand.class, IndexCommand.class, SearchCommand.class, ServeCommand.class,
                ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns the exit code, without exiting (for tests).
     *
     * @param args the arguments
     * @return 0 on success, 1 on a failure while working, 2 on a usage or input error (a bad option,
     *     a path that is not what it should be, a dataset that is missing or malformed, an image that
     *     cannot be decoded), which is found before anything is written
     */
    public static int execute(String... args) {
        Engines.configureDefaults();
        CommandLine cli = new CommandLine(new Main());
        versionEverywhere(cli);
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler(Main::handleUsage);
        return cli.execute(args);
    }

    /** Gives every sub-command's -V/--version the version: picocli does not inherit the provider. */
    private static void versionEverywhere(CommandLine cli) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new Version());
            versionEverywhere(sub);
        }
    }

    /**
     * Reports a command line picocli cannot parse in one line, plus picocli's suggestions for a
     * mistyped option or sub-command, instead of the whole usage text.
     */
    private static int handleUsage(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String command = cmd.getCommandSpec().qualifiedName();
        boolean suggested;
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()
                && groupedSuggestions(u, cmd).isEmpty()) {
            err.println(command + ": " + ex.getMessage());
            suggested = CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        } else if (ex instanceof CommandLine.UnmatchedArgumentException u && !groupedSuggestions(u, cmd).isEmpty()) {
            // picocli suggests only options outside argument groups, such as train's sections.
            err.println(command + ": " + ex.getMessage());
            err.println("Possible solutions: " + String.join(", ", groupedSuggestions(u, cmd)));
            suggested = true;
        } else {
            suggested = false;
        }
        if (!suggested) {
            err.println(command + ": " + ex.getMessage() + " (see '" + command + " --help')");
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The options closest to each unknown option given, among all the command's options. */
    private static List<String> groupedSuggestions(CommandLine.UnmatchedArgumentException u, CommandLine cmd) {
        List<String> names = new java.util.ArrayList<>();
        cmd.getCommandSpec().options().forEach(o -> names.addAll(List.of(o.names())));
        cmd.getCommandSpec().argGroups().forEach(g -> g.options().forEach(o -> names.addAll(List.of(o.names()))));
        List<String> out = new java.util.ArrayList<>();
        for (String arg : u.getUnmatched()) {
            if (arg.startsWith("-")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                NameSuggestions.closest(name, names).stream().filter(n -> !out.contains(n)).forEach(out::add);
            }
        }
        return out;
    }

    private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof java.io.UncheckedIOException u && u.getCause() != null) {
            ex = u.getCause();
        }
        String command = cmd.getCommandSpec().qualifiedName();
        if (ex instanceof FileSystemException fs) {
            err.println(command + ": " + IoErrors.describe(fs));
        } else if (ex instanceof NativeLibraryException || ex instanceof IllegalArgumentException
                || ex instanceof java.io.IOException || ex instanceof IllegalStateException) {
            err.println(command + ": " + ex.getMessage());
        } else {
            err.println(command + ": unexpected " + ex);
            if (Boolean.getBoolean("anglearn.debug")) {
                ex.printStackTrace(err);
            } else {
                err.println("(run with -Danglearn.debug=true for the stack trace)");
            }
        }
        err.flush();
        return isInputProblem(ex) ? 2 : 1;
    }

    /** The user's input is at fault: options, paths, a dataset missing or malformed, an undecodable image. */
    private static boolean isInputProblem(Exception ex) {
        return ex instanceof IllegalArgumentException || ex instanceof DatasetFormatException
                || ex instanceof DatasetLocator.DatasetNotFoundException || ex instanceof ImageDecodeException;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"anglearn " + io.anglearn.util.Version.current()};
        }
    }
}
