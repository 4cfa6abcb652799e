package dev.gantry.oci.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalsTest {

    @ParameterizedTest
    @CsvSource({"KILL,9", "SIGKILL,9", "sigterm,15", "term,15", "9,9", "HUP,1", "SIGCHLD,17", "CLD,17",
        "USR1,10", "USR2,12", "STOP,19", "CONT,18", "WINCH,28", "SYS,31", "IOT,6", "POLL,29", "STKFLT,16",
        "RTMIN,34", "SIGRTMIN+1,35", "rtmin+30,64", "RTMAX,64", "SIGRTMAX-2,62", "RTMAX-30,34", "64,64", "' TERM ',15"})
    void parsesNamesAndNumbers(String signal, int number) {
        assertThat(Signals.parse(signal)).isEqualTo(number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "FOO", "SIG", "0", "65", "-9", "RTMIN+31", "RTMAX-31", "RTMIN+", "RTMIN*2", "9x"})
    void rejectsWithInvalidArgument(String signal) {
        assertThatThrownBy(() -> Signals.parse(signal))
                .isInstanceOf(GantryException.class)
                .hasMessageStartingWith("signal: ")
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    }

    @ParameterizedTest
    @CsvSource({"9,SIGKILL", "15,SIGTERM", "6,SIGABRT", "34,SIGRTMIN", "36,SIGRTMIN+2", "63,SIGRTMAX-1", "64,SIGRTMAX"})
    void namesNumbers(int number, String name) {
        assertThat(Signals.name(number)).isEqualTo(name);
        assertThat(Signals.parse(name)).isEqualTo(number);
    }
}
