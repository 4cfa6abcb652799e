package dev.gantry.testkit;

import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition behind {@link RequiresRoot}. Enabled as root; disabled (skipped) otherwise;
 * and under {@code CI=true} a missing root is an error, because JUnit reports a throwing
 * condition as a failure of the test or class it guards.
 */
public final class RootExtension implements ExecutionCondition {
    static final String CI_MESSAGE = "CI runs as root; this test must not be skipped";

    private final LongSupplier effectiveUid;
    private final Map<String, String> environment;

    public RootExtension() {
        this(ProcSelf::effectiveUid, System.getenv());
    }

    RootExtension(LongSupplier effectiveUid, Map<String, String> environment) {
        this.effectiveUid = effectiveUid;
        this.environment = environment;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        long euid = effectiveUid.getAsLong();
        if (euid == 0) {
            return ConditionEvaluationResult.enabled("running as root");
        }
        if ("true".equalsIgnoreCase(environment.get("CI"))) {
            throw new AssertionError(CI_MESSAGE + " (effective uid is " + euid + ")");
        }
        return ConditionEvaluationResult.disabled("needs root (effective uid is " + euid + ")");
    }
}
