package vn.truc.cli;

import java.io.Console;
import picocli.CommandLine.Option;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** Options several commands share, as picocli mixins. */
final class Options {
    private Options() {}

    /** The PIN that protects key stores: {@code --pin}, else {@code TRUC_PIN}, else asked for. */
    static final class Pin {
        @Option(
                names = "--pin",
                description = "PIN of the key stores (default: the TRUC_PIN environment variable, else asked for)")
        String pin;

        char[] get() {
            if (pin != null) {
                return pin.toCharArray();
            }
            String fromEnv = System.getenv("TRUC_PIN");
            if (fromEnv != null && !fromEnv.isEmpty()) {
                return fromEnv.toCharArray();
            }
            Console console = System.console();
            if (console != null) {
                char[] typed = console.readPassword("PIN: ");
                if (typed != null && typed.length > 0) {
                    return typed;
                }
            }
            throw new TrucException(Origin.CLI, ErrorCode.BAD_PIN, "no PIN: give --pin or set TRUC_PIN");
        }
    }

    /** {@code --json}: one JSON document on standard output, for scripts. */
    static final class Json {
        @Option(names = "--json", description = "Print JSON for scripts instead of text")
        boolean json;
    }
}
