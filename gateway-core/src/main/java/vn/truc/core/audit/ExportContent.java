package vn.truc.core.audit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** The ZIP inside an export: named entries, read with a limit, and its lines. */
public final class ExportContent {
    /** The most an export may inflate to; the verifier holds it in memory. */
    static final long MAX_INFLATED_BYTES = 1L << 30;

    private ExportContent() {}

    /** The entries of {@code zip} by name, in order; duplicates and oversize are refused. */
    public static Map<String, byte[]> read(byte[] zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_INFLATED_BYTES - total + 1));
                total += bytes.length;
                if (total > MAX_INFLATED_BYTES) {
                    throw invalid("larger than " + MAX_INFLATED_BYTES + " bytes inflated");
                }
                if (entries.put(entry.getName(), bytes) != null) {
                    throw invalid("entry " + entry.getName() + " appears twice");
                }
            }
        } catch (IOException e) {
            throw invalid("not a readable ZIP (" + e.getMessage() + ")");
        }
        return entries;
    }

    /** A ZIP of {@code entries}, in order. */
    public static byte[] write(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing a ZIP in memory", e);
        }
        return bytes.toByteArray();
    }

    /** The lines of {@code text}, each without its {@code \n}; a last line without one counts too. */
    public static List<byte[]> lines(byte[] text) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                lines.add(Arrays.copyOfRange(text, start, i));
                start = i + 1;
            }
        }
        if (start < text.length) {
            lines.add(Arrays.copyOfRange(text, start, text.length));
        }
        return lines;
    }

    /** {@code lines}, each followed by {@code \n}. */
    public static byte[] joinLines(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            out.writeBytes(line);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static TrucException invalid(String what) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, "audit export content: " + what);
    }
}
