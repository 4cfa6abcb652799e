package dev.gantry.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxSeccomp;
import dev.gantry.oci.runtime.LinuxSyscall;
import dev.gantry.runtime.plan.SeccompFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeccompFiltersTest {
    private static LinuxSeccomp denying(String... names) {
        return new LinuxSeccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64"), null, null, null,
                List.of(new LinuxSyscall(List.of(names), "SCMP_ACT_ERRNO", 1L, null)));
    }

    @Test
    void anEqualProfileGetsTheFilterCompiledForTheFirstAndAnotherProfileItsOwn() {
        SeccompFilters filters = new SeccompFilters();
        SeccompFilter first = filters.filterFor(denying("mount", "umount2"));
        assertThat(filters.filterFor(denying("mount", "umount2"))).as("an equal profile, another instance").isSameAs(first);
        SeccompFilter other = filters.filterFor(denying("ptrace"));
        assertThat(other).isNotSameAs(first);
        assertThat(other.program()).isNotEqualTo(first.program());
    }

    @Test
    void anInvalidProfileFailsEveryTime() {
        SeccompFilters filters = new SeccompFilters();
        LinuxSeccomp bad = new LinuxSeccomp("SCMP_ACT_NONSENSE", null, null, null, null, null, List.of());
        assertThatThrownBy(() -> filters.filterFor(bad)).isInstanceOf(GantryException.class);
        assertThatThrownBy(() -> filters.filterFor(bad)).as("not kept").isInstanceOf(GantryException.class);
    }
}
