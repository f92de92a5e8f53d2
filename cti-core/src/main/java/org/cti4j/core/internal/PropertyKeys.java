package org.cti4j.core.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cti4j.api.InvalidArgumentException;

/** Refuses engine properties that no provider reads, naming the nearest key one does. Internal. */
public final class PropertyKeys {

    private PropertyKeys() {
    }

    /**
     * Checks every key of {@code properties} against {@code known}.
     *
     * @throws InvalidArgumentException naming {@code property} for the first unknown key (in key order), with the
     *     nearest known key
     */
    public static void check(Map<String, String> properties, Set<String> known) {
        for (String key : new TreeSet<>(properties.keySet())) {
            if (!known.contains(key)) {
                throw new InvalidArgumentException("property", "unknown property '" + key + "': did you mean '"
                        + nearest(key, known) + "'?");
            }
        }
    }

    /** Returns the known key fewest edits away from {@code key} (the first in order, on a tie). */
    static String nearest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(known)) {
            int distance = distance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** The Levenshtein distance: insertions, deletions and substitutions. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
