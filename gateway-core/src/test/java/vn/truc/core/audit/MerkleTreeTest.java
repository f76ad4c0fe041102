package vn.truc.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.truc.core.audit.MerkleTree.Side;
import vn.truc.core.audit.MerkleTree.Step;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;

class MerkleTreeTest {
    private static final String ZEROS = "0".repeat(64);

    @Test
    void oneLeafRootIsItsLeafHash() throws Exception {
        assertThat(MerkleTree.root(leaves(1))).isEqualTo(leaf("d0"));
        assertThat(MerkleTree.path(leaves(1), 0)).isEmpty();
    }

    @Test
    void twoLeavesHashUnderOneNode() throws Exception {
        assertThat(MerkleTree.root(leaves(2))).isEqualTo(node(leaf("d0"), leaf("d1")));
    }

    @Test
    void threeLeavesSplitTwoAndOne() throws Exception {
        byte[] expected = node(node(leaf("d0"), leaf("d1")), leaf("d2"));
        assertThat(MerkleTree.root(leaves(3))).isEqualTo(expected);
    }

    @Test
    void fiveLeavesSplitFourAndOne() throws Exception {
        byte[] four = node(node(leaf("d0"), leaf("d1")), node(leaf("d2"), leaf("d3")));
        assertThat(MerkleTree.root(leaves(5))).isEqualTo(node(four, leaf("d4")));
    }

    @Test
    void eightLeavesMakeABalancedTree() throws Exception {
        byte[] left = node(node(leaf("d0"), leaf("d1")), node(leaf("d2"), leaf("d3")));
        byte[] right = node(node(leaf("d4"), leaf("d5")), node(leaf("d6"), leaf("d7")));
        assertThat(MerkleTree.root(leaves(8))).isEqualTo(node(left, right));
    }

    @Test
    void pathOfThirdLeafOfFiveNamesItsSiblingsLeafToRoot() throws Exception {
        List<Step> path = MerkleTree.path(leaves(5), 2);

        assertThat(path)
                .containsExactly(
                        new Step(Side.RIGHT, leaf("d3")),
                        new Step(Side.LEFT, node(leaf("d0"), leaf("d1"))),
                        new Step(Side.RIGHT, leaf("d4")));
    }

    @Test
    void everyLeafOfTreesUpToSeventeenLeadsToTheRoot() {
        for (int n = 1; n <= 17; n++) {
            List<byte[]> leaves = leaves(n);
            byte[] root = MerkleTree.root(leaves);
            for (int i = 0; i < n; i++) {
                List<Step> path = MerkleTree.path(leaves, i);
                assertThat(MerkleTree.rootFromPath(leaves.get(i), path))
                        .as("leaf %d of %d", i, n)
                        .isEqualTo(root);
            }
        }
    }

    @Test
    void changedLeafDoesNotLeadToTheRoot() {
        List<byte[]> leaves = leaves(7);
        List<Step> path = MerkleTree.path(leaves, 4);

        assertThat(MerkleTree.rootFromPath(bytes("d4!"), path)).isNotEqualTo(MerkleTree.root(leaves));
    }

    @Test
    void changedStepDoesNotLeadToTheRoot() {
        List<byte[]> leaves = leaves(7);
        List<Step> path = new ArrayList<>(MerkleTree.path(leaves, 4));
        byte[] hash = path.get(1).hash();
        hash[0] ^= 1;
        path.set(1, new Step(path.get(1).side(), hash));

        assertThat(MerkleTree.rootFromPath(leaves.get(4), path)).isNotEqualTo(MerkleTree.root(leaves));
    }

    @Test
    void swappedSideDoesNotLeadToTheRoot() {
        List<byte[]> leaves = leaves(4);
        List<Step> path = new ArrayList<>(MerkleTree.path(leaves, 1));
        path.set(0, new Step(Side.RIGHT, path.get(0).hash()));

        assertThat(MerkleTree.rootFromPath(leaves.get(1), path)).isNotEqualTo(MerkleTree.root(leaves));
    }

    @Test
    void emptyTreeIsRefused() {
        assertThatThrownBy(() -> MerkleTree.root(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one leaf");
    }

    @Test
    void indexOutsideTheTreeIsRefused() {
        assertThatThrownBy(() -> MerkleTree.path(leaves(3), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaf index 3");
    }

    @Test
    void pathTextRoundTrips() {
        List<Step> path = MerkleTree.path(leaves(11), 9);
        String text = MerkleTree.pathToText(path);

        assertThat(text).matches("([LR]:[0-9a-f]{64})(,[LR]:[0-9a-f]{64})*");
        assertThat(MerkleTree.pathFromText(text)).isEqualTo(path);
    }

    @Test
    void singleLeafPathIsTheEmptyString() {
        assertThat(MerkleTree.pathToText(MerkleTree.path(leaves(1), 0))).isEmpty();
        assertThat(MerkleTree.pathFromText("")).isEmpty();
    }

    static Stream<String> malformedPathTexts() {
        return Stream.of(
                "X:" + ZEROS,
                "L" + ZEROS,
                "L:" + "0".repeat(63),
                "L:" + "0".repeat(65),
                "L:" + "A".repeat(64),
                "L:" + "g".repeat(64),
                "L:" + ZEROS + ",",
                ",L:" + ZEROS,
                "L:" + ZEROS + ",,R:" + ZEROS,
                "L:" + ZEROS + " ",
                "l:" + ZEROS);
    }

    @ParameterizedTest
    @MethodSource("malformedPathTexts")
    void malformedPathTextIsAnInvalidRequest(String text) {
        assertThatThrownBy(() -> MerkleTree.pathFromText(text))
                .isInstanceOf(TrucException.class)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("Merkle path step");
    }

    @Test
    void allPathsInOnePassAreThePathsOneByOne() {
        for (int n = 1; n <= 33; n++) {
            List<byte[]> leaves = leaves(n);
            List<List<MerkleTree.Step>> all = MerkleTree.paths(leaves);
            assertThat(all).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(MerkleTree.pathToText(all.get(i)))
                        .as("leaf %d of %d", i, n)
                        .isEqualTo(MerkleTree.pathToText(MerkleTree.path(leaves, i)));
            }
        }
    }

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(bytes("d" + i));
        }
        return leaves;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 6962 leaf hash, computed here independently of the class under test. */
    private static byte[] leaf(String data) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update((byte) 0x00);
        return sha256.digest(bytes(data));
    }

    private static byte[] node(byte[] left, byte[] right) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update((byte) 0x01);
        sha256.update(left);
        return sha256.digest(right);
    }
}
