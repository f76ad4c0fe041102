package vn.truc.server.globalconf;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.globalconf.SignedGlobalConf;
import vn.truc.core.io.AtomicFiles;

/**
 * The security server's copy of the global configuration. {@link #refresh()} downloads the
 * registry's {@code globalconf} (next to the anchor's registry URL), verifies it against the
 * anchor and accepts it only if it is fresh: not expired, not generated in the future, and not
 * older than the copy held (a lower serial, or the same serial with other bytes, is a replay).
 * An accepted copy is written byte for byte to {@code globalconf.xml} in the client's directory
 * and reloaded, re-verified, by the next client over that directory.
 *
 * <p>Thread-safe: one thread refreshes while request threads call {@link #requireValid()}; the
 * readers see an immutable snapshot and never block.
 */
public final class GlobalConfClient {
    /** How far a configuration's generation time may lie ahead of this server's clock. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private static final String FILE_NAME = "globalconf.xml";
    private static final Logger log = LoggerFactory.getLogger(GlobalConfClient.class);

    private final Anchor anchor;
    private final Path file;
    private final Clock clock;
    private final RegistryDownload download;
    private final Object refreshLock = new Object();
    private volatile Snapshot snapshot;

    /**
     * What {@link #status()} reports. {@code serial}, {@code generatedAt} and {@code expiresAt}
     * describe the copy held ({@code -1} and {@code null} without one); {@code valid} means held
     * and not expired now; {@code lastError} is the {@link TrucException#describe()} line of the
     * last failed refresh, {@code null} after a success.
     */
    public record Status(
            boolean present,
            boolean valid,
            long serial,
            Instant generatedAt,
            Instant expiresAt,
            Instant lastAttempt,
            Instant lastSuccess,
            String lastError) {}

    public GlobalConfClient(Anchor anchor, Path dir, Clock clock, HttpClient http) {
        this.anchor = Objects.requireNonNull(anchor, "anchor");
        this.file = dir.resolve(FILE_NAME);
        this.clock = Objects.requireNonNull(clock, "clock");
        URI url = anchor.registryUrl().resolve("globalconf");
        this.download = new RegistryDownload(Objects.requireNonNull(http, "http"), url);
        this.snapshot = loadLocalCopy();
    }

    /**
     * Downloads, verifies and accepts a fresh configuration, or throws (and logs) why not, keeping
     * the previous copy in memory and on disk untouched.
     */
    public GlobalConf refresh() {
        synchronized (refreshLock) {
            Snapshot previous = snapshot;
            Instant attempt = clock.instant();
            try {
                byte[] bytes = download.fetch();
                GlobalConf conf = accept(bytes, previous, attempt);
                snapshot = new Snapshot(conf, bytes, attempt, attempt, null);
                return conf;
            } catch (TrucException e) {
                TrucException fault = e.withOrigin(Origin.SERVER);
                log.warn("global configuration refresh failed, keeping {}: {}", previous, fault.describe());
                snapshot = previous.failed(attempt, fault.describe());
                throw fault;
            }
        }
    }

    /** The last good copy, expired or not. */
    public Optional<GlobalConf> current() {
        return Optional.ofNullable(snapshot.conf());
    }

    /** The copy to serve traffic with; throws when there is none or it has expired. */
    public GlobalConf requireValid() {
        Snapshot s = snapshot;
        if (s.conf() == null) {
            String last = s.lastError() == null ? "" : " (last attempt: " + s.lastError() + ")";
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.CONF_UNAVAILABLE,
                    "no global configuration yet" + last + "; no traffic until a copy is downloaded from "
                            + download.url());
        }
        if (s.conf().isExpiredAt(clock.instant())) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.CONF_EXPIRED,
                    "global configuration expired at " + s.conf().expiresAt()
                            + "; no traffic until a fresh copy is downloaded");
        }
        return s.conf();
    }

    public Status status() {
        Snapshot s = snapshot;
        GlobalConf conf = s.conf();
        if (conf == null) {
            return new Status(false, false, -1, null, null, s.lastAttempt(), s.lastSuccess(), s.lastError());
        }
        boolean valid = !conf.isExpiredAt(clock.instant());
        return new Status(
                true,
                valid,
                conf.serial(),
                conf.generatedAt(),
                conf.expiresAt(),
                s.lastAttempt(),
                s.lastSuccess(),
                s.lastError());
    }

    /** Where the last good copy is kept: {@code globalconf.xml} in the client's directory. */
    public Path file() {
        return file;
    }

    private GlobalConf accept(byte[] bytes, Snapshot previous, Instant now) {
        GlobalConf conf = SignedGlobalConf.verify(bytes, anchor);
        checkFreshness(conf, bytes, previous, now);
        boolean unchanged = Arrays.equals(bytes, previous.bytes());
        if (!unchanged || !Files.exists(file)) {
            store(bytes);
        }
        if (unchanged) {
            log.debug("global configuration unchanged: serial {}", conf.serial());
        } else {
            log.info(
                    "accepted global configuration serial {} generated at {}, expires at {}",
                    conf.serial(),
                    conf.generatedAt(),
                    conf.expiresAt());
        }
        return conf;
    }

    private static void checkFreshness(GlobalConf conf, byte[] bytes, Snapshot previous, Instant now) {
        if (conf.isExpiredAt(now)) {
            throw rejected(
                    ErrorCode.CONF_EXPIRED,
                    "serial " + conf.serial() + " expired at " + conf.expiresAt() + " (now " + now + ")");
        }
        if (conf.generatedAt().isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw rejected(
                    ErrorCode.CONF_OUTDATED,
                    "serial " + conf.serial() + " claims to be generated at "
                            + conf.generatedAt() + ", more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes ahead of"
                            + " this server's clock (" + now
                            + "); check the clocks of this server and of the registry");
        }
        GlobalConf held = previous.conf();
        if (held == null) {
            return;
        }
        if (conf.serial() < held.serial()) {
            throw rejected(
                    ErrorCode.CONF_OUTDATED,
                    "replayed or older configuration: serial " + conf.serial() + ", we hold " + held.serial());
        }
        if (conf.serial() == held.serial() && !Arrays.equals(bytes, previous.bytes())) {
            throw rejected(
                    ErrorCode.CONF_OUTDATED,
                    "serial " + conf.serial()
                            + " differs from the copy we hold under the same serial; a registry never reuses a serial");
        }
    }

    private void store(byte[] bytes) {
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.INTERNAL_ERROR,
                    "global configuration: cannot store " + file + ": " + e,
                    e);
        }
    }

    private Snapshot loadLocalCopy() {
        if (!Files.exists(file)) {
            return Snapshot.EMPTY;
        }
        try {
            byte[] bytes = readLocal();
            GlobalConf conf = SignedGlobalConf.verify(bytes, anchor);
            log.info(
                    "loaded global configuration serial {} from {}, expires at {}",
                    conf.serial(),
                    file,
                    conf.expiresAt());
            return new Snapshot(conf, bytes, null, null, null);
        } catch (TrucException e) {
            log.warn(
                    "ignoring local copy {}, waiting for a download: {}",
                    file,
                    e.withOrigin(Origin.SERVER).describe());
            return Snapshot.EMPTY;
        }
    }

    private byte[] readLocal() {
        try {
            if (Files.size(file) > RegistryDownload.MAX_BYTES) {
                throw new IOException("larger than " + RegistryDownload.MAX_BYTES + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static TrucException rejected(ErrorCode code, String reason) {
        return new TrucException(Origin.SERVER, code, "global configuration: " + reason);
    }

    /** What the client holds; replaced whole, never changed. {@code bytes} are what was verified. */
    private record Snapshot(GlobalConf conf, byte[] bytes, Instant lastAttempt, Instant lastSuccess, String lastError) {
        static final Snapshot EMPTY = new Snapshot(null, null, null, null, null);

        Snapshot failed(Instant attempt, String error) {
            return new Snapshot(conf, bytes, attempt, lastSuccess, error);
        }

        @Override
        public String toString() {
            return conf == null ? "no copy" : "serial " + conf.serial() + " (expires at " + conf.expiresAt() + ")";
        }
    }
}
