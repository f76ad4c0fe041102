package vn.truc.core.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * A Merkle hash tree in the shape of RFC 6962 section 2.1: leaf hash {@code SHA-256(0x00 ||
 * leaf)}, node hash {@code SHA-256(0x01 || left || right)}, a list of n leaves split at the
 * largest power of two smaller than n. One timestamp over the root covers every leaf; a leaf
 * proves its place with its path to the root.
 */
public final class MerkleTree {
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final int HASH_LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private MerkleTree() {}

    /** Which side of the running hash a sibling goes on. */
    public enum Side {
        /** The sibling hash is the left input: {@code node(sibling, current)}. */
        LEFT,
        /** The sibling hash is the right input: {@code node(current, sibling)}. */
        RIGHT
    }

    /** One step from a leaf towards the root: the sibling's hash and the side it is on. */
    @SuppressWarnings("ArrayRecordComponent") // copied in and out, compared by content
    public record Step(Side side, byte[] hash) {
        public Step {
            Objects.requireNonNull(side, "side");
            if (hash == null || hash.length != HASH_LENGTH) {
                throw new IllegalArgumentException("a step hash must be " + HASH_LENGTH + " bytes");
            }
            hash = hash.clone();
        }

        @Override
        public byte[] hash() {
            return hash.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Step step && step.side == side && MessageDigest.isEqual(step.hash, hash);
        }

        @Override
        public int hashCode() {
            return 31 * side.hashCode() + Arrays.hashCode(hash);
        }

        @Override
        public String toString() {
            return side.name().charAt(0) + ":" + HEX.formatHex(hash);
        }
    }

    /** The root hash over {@code leaves} (raw leaf bytes, hashed here); one leaf: its leaf hash. */
    public static byte[] root(List<byte[]> leaves) {
        requireLeaves(leaves);
        return subtreeRoot(leaves, 0, leaves.size());
    }

    /**
     * The audit path of leaf {@code index}: sibling hashes from the leaf up to the root (RFC 6962
     * section 2.1.1). Empty for a single-leaf tree.
     */
    public static List<Step> path(List<byte[]> leaves, int index) {
        requireLeaves(leaves);
        if (index < 0 || index >= leaves.size()) {
            throw new IllegalArgumentException(
                    "leaf index " + index + " outside the tree (expected: 0-" + (leaves.size() - 1) + ")");
        }
        List<Step> steps = new ArrayList<>();
        collectPath(leaves, index, 0, leaves.size(), steps);
        return List.copyOf(steps);
    }

    /** The root that {@code leaf} (raw bytes) and its {@code path} lead to; compare it with the root. */
    public static byte[] rootFromPath(byte[] leaf, List<Step> path) {
        byte[] current = leafHash(leaf);
        for (Step step : path) {
            current = step.side() == Side.LEFT ? nodeHash(step.hash(), current) : nodeHash(current, step.hash());
        }
        return current;
    }

    /** {@code L:hex,R:hex,...} from the leaf up, lower-case hex; the empty string for no steps. */
    public static String pathToText(List<Step> path) {
        StringBuilder text = new StringBuilder();
        for (Step step : path) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(step);
        }
        return text.toString();
    }

    /** Parses {@link #pathToText}'s form strictly; anything else is an {@code invalid_request}. */
    public static List<Step> pathFromText(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            return List.of();
        }
        String[] parts = text.split(",", -1);
        List<Step> steps = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            steps.add(parseStep(parts[i], i));
        }
        return List.copyOf(steps);
    }

    static byte[] leafHash(byte[] leaf) {
        MessageDigest sha256 = sha256();
        sha256.update(LEAF_PREFIX);
        sha256.update(leaf);
        return sha256.digest();
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha256 = sha256();
        sha256.update(NODE_PREFIX);
        sha256.update(left);
        sha256.update(right);
        return sha256.digest();
    }

    private static byte[] subtreeRoot(List<byte[]> leaves, int from, int to) {
        if (to - from == 1) {
            return leafHash(leaves.get(from));
        }
        int split = from + largestPowerOfTwoBelow(to - from);
        return nodeHash(subtreeRoot(leaves, from, split), subtreeRoot(leaves, split, to));
    }

    /**
     * The path of every leaf, computed in one pass over the tree: O(n log n) hashes, where calling
     * {@link #path} for each leaf would recompute subtrees over and over.
     */
    public static List<List<Step>> paths(List<byte[]> leaves) {
        requireLeaves(leaves);
        List<List<Step>> paths = new ArrayList<>(leaves.size());
        for (int i = 0; i < leaves.size(); i++) {
            paths.add(new ArrayList<>());
        }
        collectAll(leaves, 0, leaves.size(), paths);
        return paths.stream().map(List::copyOf).toList();
    }

    /** The root of leaves {@code from..to}, adding each sibling to the paths of the leaves below it. */
    private static byte[] collectAll(List<byte[]> leaves, int from, int to, List<List<Step>> paths) {
        if (to - from == 1) {
            return leafHash(leaves.get(from));
        }
        int split = from + largestPowerOfTwoBelow(to - from);
        byte[] left = collectAll(leaves, from, split, paths);
        byte[] right = collectAll(leaves, split, to, paths);
        for (int i = from; i < split; i++) {
            paths.get(i).add(new Step(Side.RIGHT, right));
        }
        for (int i = split; i < to; i++) {
            paths.get(i).add(new Step(Side.LEFT, left));
        }
        return nodeHash(left, right);
    }

    /** RFC 6962's PATH(m, D[n]), appended deepest step first so the list reads leaf to root. */
    private static void collectPath(List<byte[]> leaves, int index, int from, int to, List<Step> steps) {
        if (to - from == 1) {
            return;
        }
        int split = from + largestPowerOfTwoBelow(to - from);
        if (index < split) {
            collectPath(leaves, index, from, split, steps);
            steps.add(new Step(Side.RIGHT, subtreeRoot(leaves, split, to)));
        } else {
            collectPath(leaves, index, split, to, steps);
            steps.add(new Step(Side.LEFT, subtreeRoot(leaves, from, split)));
        }
    }

    /** The largest power of two strictly smaller than {@code n}, for {@code n >= 2}. */
    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static Step parseStep(String part, int position) {
        if (part.length() != 2 + 2 * HASH_LENGTH || part.charAt(1) != ':') {
            throw invalidPath(position, "expected L:<64 hex digits> or R:<64 hex digits>, got '" + part + "'");
        }
        Side side =
                switch (part.charAt(0)) {
                    case 'L' -> Side.LEFT;
                    case 'R' -> Side.RIGHT;
                    default -> throw invalidPath(position, "side '" + part.charAt(0) + "' (expected: L or R)");
                };
        String hex = part.substring(2);
        if (!hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw invalidPath(position, "hash '" + hex + "' (expected: 64 lower-case hex digits)");
        }
        return new Step(side, HEX.parseHex(hex));
    }

    private static TrucException invalidPath(int position, String what) {
        return new TrucException(
                Origin.CLIENT, ErrorCode.INVALID_REQUEST, "Merkle path step " + (position + 1) + ": " + what);
    }

    private static void requireLeaves(List<byte[]> leaves) {
        if (leaves == null || leaves.isEmpty()) {
            throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
