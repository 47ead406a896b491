package io.anglearn.cli;

import io.anglearn.engine.Engines;
import io.anglearn.engine.NativeLibraryException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code anglearn} command. */
@Command(name = "anglearn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train discriminative embedded features with the angular loss (Wu & Wang,"
                + " arXiv:1912.07819) and the margin-loss family, on DJL + PyTorch.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, EmbedCommand.class, PredictCommand.class,
                LrFindCommand.class, DataCommand.class, CurvesCommand.class, ModelCommand.class, ReproduceCommand.class,
                BenchCommand.class, ReportCommand.class, CommandLine.HelpCommand.class})
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
     * @return 0 on success, 1 on a failure, 2 on a usage error
     */
    public static int execute(String... args) {
        Engines.configureDefaults();
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        return cli.execute(args);
    }

    private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof java.io.UncheckedIOException u) {
            ex = u.getCause();
        }
        if (ex instanceof NativeLibraryException || ex instanceof IllegalArgumentException
                || ex instanceof java.io.IOException || ex instanceof IllegalStateException) {
            err.println("anglearn " + cmd.getCommandName() + ": " + ex.getMessage());
        } else {
            err.println("anglearn " + cmd.getCommandName() + ": unexpected " + ex);
            if (Boolean.getBoolean("anglearn.debug")) {
                ex.printStackTrace(err);
            } else {
                err.println("(run with -Danglearn.debug=true for the stack trace)");
            }
        }
        err.flush();
        return ex instanceof IllegalArgumentException ? 2 : 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"anglearn " + (v == null ? "development build" : v)};
        }
    }
}
