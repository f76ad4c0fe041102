package vn.truc.server.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import vn.truc.core.globalconf.GlobalConf;

/** What the store tests share: a real H2 file database in a temporary directory. */
final class StoreTesting {
    private StoreTesting() {}

    static String url(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("db/server");
    }

    static ServerStore open(Path dir) {
        return new ServerStore(ServerDatabases.open(url(dir), "sa", ""));
    }

    /** A global configuration with only the given global groups. */
    static GlobalConf confWith(GlobalConf.GlobalGroup... groups) {
        Instant now = Instant.now();
        return new GlobalConf(
                "VN", 1, now, now.plusSeconds(600), List.of(), List.of(), List.of(), List.of(), List.of(groups));
    }
}
