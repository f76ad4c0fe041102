package vn.truc.server.documents;

import java.nio.file.Path;
import vn.truc.core.db.Database;
import vn.truc.core.id.ClientId;
import vn.truc.server.store.ServerDatabases;

/** What the document store tests share: parties, and a real H2 file database in a temporary directory. */
final class DocumentTesting {
    static final ClientId G22_DMS = ClientId.parse("VN/GOV/000.00.00.G22/DMS");
    static final ClientId H41 = ClientId.parseMember("VN/GOV/000.00.00.H41");
    static final ClientId H29 = ClientId.parseMember("VN/GOV/000.00.00.H29");
    static final ClientId H41_DMS = H41.subsystem("DMS");
    static final String DOC = "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT";
    static final String SHA = "ab".repeat(32);

    private DocumentTesting() {}

    static Database openH2(Path dir) {
        return ServerDatabases.open("jdbc:h2:file:" + dir.toAbsolutePath().resolve("db/server"), "sa", "");
    }
}
