package io.longshore.api;

import java.util.List;

/**
 * The positions of one candidate list by {@link Backend#id()}, in an open-addressing table, so
 * that an id read from a request (any {@link CharSequence}) is found without allocating.
 * Immutable.
 */
final class IdIndex {
    private final String[] ids;
    /** Position + 1 per slot, 0 for an empty slot; the table's length is a power of two. */
    private final int[] slots;

    private IdIndex(List<Backend> candidates) {
        ids = new String[candidates.size()];
        slots = new int[Integer.highestOneBit(Math.max(1, candidates.size()) * 2) * 2];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = candidates.get(i).id();
            int slot = hash(ids[i]) & (slots.length - 1);
            while (slots[slot] != 0) {
                slot = (slot + 1) & (slots.length - 1);
            }
            slots[slot] = i + 1;
        }
    }

    static IdIndex of(IdIndex previous, List<Backend> candidates) {
        return new IdIndex(candidates);
    }

    /** The position of the candidate whose id is {@code id}, or -1. */
    int positionOf(CharSequence id) {
        int slot = hash(id) & (slots.length - 1);
        while (slots[slot] != 0) {
            int position = slots[slot] - 1;
            if (contentEquals(ids[position], id)) {
                return position;
            }
            slot = (slot + 1) & (slots.length - 1);
        }
        return -1;
    }

    /** {@link String#hashCode()}'s function, for any characters. */
    private static int hash(CharSequence text) {
        int h = 0;
        for (int i = 0; i < text.length(); i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ (h >>> 16);
    }

    private static boolean contentEquals(String id, CharSequence text) {
        if (id.length() != text.length()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
