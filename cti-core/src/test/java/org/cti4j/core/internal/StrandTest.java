package org.cti4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strand's bookkeeping of which strand a thread runs, on which the engine's thread checks rest. */
class StrandTest {

    @Test
    void aThreadKnowsTheGroupOfTheStrandItRunsAndForgetsItAfterwards() {
        Object group = new Object();
        List<Object> seen = new ArrayList<>();
        Strand strand = new Strand("s", Runnable::run, group);

        strand.execute(() -> seen.add(Strand.currentGroup()));

        assertThat(seen).containsExactly(group);
        assertThat(Strand.currentGroup()).isNull();
        assertThat(strand.isCurrent()).isFalse();
    }

    @Test
    void aStrandRunInsideAnothersTaskGivesTheOuterGroupBackWhenItReturns() {
        Object outerGroup = new Object();
        Object innerGroup = new Object();
        List<Object> seen = new ArrayList<>();
        Strand outer = new Strand("outer", Runnable::run, outerGroup);
        Strand inner = new Strand("inner", Runnable::run, innerGroup);

        outer.execute(() -> {
            inner.execute(() -> seen.add(Strand.currentGroup()));
            seen.add(Strand.currentGroup());
            seen.add(outer.isCurrent());
        });

        assertThat(seen).containsExactly(innerGroup, outerGroup, true);
    }
}
