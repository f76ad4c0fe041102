package vn.truc.cli;

import java.io.InputStream;

/** A deterministic, cheap-to-make byte stream of a given length (xorshift), for large test and benchmark bodies. */
final class PatternStream extends InputStream {
    private long remaining;
    private long state = 0x9E3779B97F4A7C15L;

    PatternStream(long length) {
        this.remaining = length;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        for (int i = 0; i < n; i++) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            b[off + i] = (byte) state;
        }
        remaining -= n;
        return n;
    }
}
