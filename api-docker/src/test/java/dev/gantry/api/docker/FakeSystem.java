package dev.gantry.api.docker;

import dev.gantry.api.docker.backend.EventQuery;
import dev.gantry.api.docker.backend.Sink;
import dev.gantry.api.docker.backend.SystemApi;
import dev.gantry.api.docker.model.AuthConfig;
import dev.gantry.api.docker.model.AuthResponse;
import dev.gantry.api.docker.model.EventMessage;
import dev.gantry.api.docker.model.SystemDataUsage;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** Events: three, then waits (as a follower does) until interrupted, which it records. */
public final class FakeSystem implements SystemApi {
    public final CountDownLatch eventsEnded = new CountDownLatch(1);

    @Override
    public SystemDataUsage dataUsage(Set<String> types) {
        return new SystemDataUsage(0L, List.of(), List.of(), List.of(), List.of());
    }

    @Override
    public void events(EventQuery query, Sink<EventMessage> out) throws IOException {
        try {
            for (int i = 0; i < 3; i++) {
                out.accept(EventMessage.of("container", "start", "c" + i, Map.of("name", "n" + i), 1_700_000_000_000_000_000L + i));
            }
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            eventsEnded.countDown();
        }
    }

    @Override
    public AuthResponse login(AuthConfig auth) {
        if (!"secret".equals(auth.password())) {
            throw new GantryException(ErrorKind.PERMISSION_DENIED, "login to " + auth.serverAddress() + " refused: wrong password");
        }
        return new AuthResponse("Login Succeeded", "");
    }
}
