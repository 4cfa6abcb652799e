package dev.gantry.api.docker.routes;

import dev.gantry.api.docker.backend.SystemInfoProvider;
import dev.gantry.api.docker.http.ApiVersion;
import dev.gantry.api.docker.http.Reply;
import dev.gantry.api.docker.http.Router;
import dev.gantry.api.docker.model.SystemInfo;
import dev.gantry.api.docker.model.SystemVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /_ping}, {@code /version} and {@code /info}, served from a {@link SystemInfoProvider} without an engine. */
public final class SystemRoutes {
    private final SystemInfoProvider info;
    private final String engineVersion;

    public SystemRoutes(SystemInfoProvider info, String engineVersion) {
        this.info = info;
        this.engineVersion = engineVersion;
    }

    public void register(Router router) {
        router.get("/_ping", r -> ping());
        router.head("/_ping", r -> ping());
        router.get("/version", r -> Reply.json(version()));
        router.get("/info", r -> Reply.json(info.info()));
    }

    /** {@code OK} with the headers the docker CLI negotiates from (it reads Api-Version from a HEAD). */
    private static Reply ping() {
        return new Reply.Full(200, "text/plain; charset=utf-8", "OK".getBytes(java.nio.charset.StandardCharsets.US_ASCII), Map.of(
                "Builder-Version", "1",
                "Cache-Control", "no-cache, no-store, must-revalidate",
                "Pragma", "no-cache"));
    }

    SystemVersion version() {
        SystemInfo host = info.info();
        String java = Runtime.version().toString();
        var details = new LinkedHashMap<String, String>();
        details.put("ApiVersion", ApiVersion.MAX.toString());
        details.put("MinAPIVersion", ApiVersion.MIN.toString());
        details.put("Os", "linux");
        details.put("Arch", arch(host));
        details.put("KernelVersion", host.kernelVersion());
        details.put("GoVersion", java);
        details.put("GitCommit", "");
        details.put("Experimental", "false");
        return new SystemVersion(new SystemVersion.Platform("Gantry Engine"),
                List.of(new SystemVersion.Component("Engine", engineVersion, details)),
                engineVersion, ApiVersion.MAX.toString(), ApiVersion.MIN.toString(), "", java, "linux", arch(host),
                host.kernelVersion(), false, "");
    }

    /** Docker reports Go's architecture names (amd64, arm64), not the kernel's (x86_64, aarch64). */
    static String arch(SystemInfo host) {
        String a = host.architecture() == null ? System.getProperty("os.arch") : host.architecture();
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> a;
        };
    }
}
