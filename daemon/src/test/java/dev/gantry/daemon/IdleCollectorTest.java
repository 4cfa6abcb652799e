package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleCollectorTest {
    /** A heap that grows when told and shrinks to its floor at each collection. */
    private static final class FakeJvm implements IdleCollector.Jvm {
        long committed = 10;
        int collections;

        @Override
        public long committedHeap() {
            return committed;
        }

        @Override
        public void collect() {
            collections++;
            committed = 10;
        }
    }

    /** Work begun and ended, and how much is under way. */
    private static final class FakeActivity implements IdleCollector.Activity {
        final AtomicLong changes = new AtomicLong();
        final AtomicLong inFlight = new AtomicLong();

        void begin() {
            changes.incrementAndGet();
            inFlight.incrementAndGet();
        }

        void end() {
            changes.incrementAndGet();
            inFlight.decrementAndGet();
        }

        @Override
        public long changes() {
            return changes.get();
        }

        @Override
        public boolean busy() {
            return inFlight.get() > 0;
        }
    }

    @Test
    void collectsOnceAfterABurstWhenAPeriodPassesWithoutEvents() {
        FakeActivity events = new FakeActivity();
        FakeJvm jvm = new FakeJvm();
        IdleCollector idle = new IdleCollector(events, jvm);

        assertThat(idle.check()).as("idle, but the heap has not grown").isFalse();
        events.changes.addAndGet(40);
        jvm.committed = 50;
        assertThat(idle.check()).as("the burst is still going").isFalse();
        assertThat(idle.check()).as("a quiet period after the burst").isTrue();
        assertThat(jvm.collections).isEqualTo(1);
        assertThat(idle.check()).as("nothing grew since").isFalse();
        assertThat(jvm.collections).isEqualTo(1);
    }

    @Test
    void neverCollectsWhileEventsKeepComing() {
        FakeActivity events = new FakeActivity();
        FakeJvm jvm = new FakeJvm();
        IdleCollector idle = new IdleCollector(events, jvm);
        for (int i = 0; i < 5; i++) {
            events.changes.incrementAndGet();
            jvm.committed += 10;
            assertThat(idle.check()).isFalse();
        }
        assertThat(jvm.collections).isZero();
    }

    @Test
    void aLongRequestInFlightWithoutEventsHoldsOffTheCollection() {
        FakeActivity work = new FakeActivity();
        FakeJvm jvm = new FakeJvm();
        IdleCollector idle = new IdleCollector(work, jvm);

        work.begin();
        for (int i = 0; i < 5; i++) {
            // A pull or a logs -f: the heap grows, nothing else begins or ends.
            jvm.committed += 10;
            assertThat(idle.check()).as("period %d of a long stream", i).isFalse();
        }
        work.end();
        assertThat(idle.check()).as("the period in which the stream ended").isFalse();
        assertThat(idle.check()).as("the first quiet period after it").isTrue();
        assertThat(jvm.collections).isEqualTo(1);
    }

    @Test
    void shortRequestsEachPeriodCountAsWorkThoughNoneIsInFlightAtTheCheck() {
        FakeActivity work = new FakeActivity();
        FakeJvm jvm = new FakeJvm();
        IdleCollector idle = new IdleCollector(work, jvm);
        for (int i = 0; i < 5; i++) {
            work.begin();
            work.end();
            jvm.committed += 10;
            assertThat(idle.check()).isFalse();
        }
        assertThat(jvm.collections).isZero();
        assertThat(idle.check()).isTrue();
    }
}
