package vn.truc.core.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * A configuration file ({@code key = value}, Java properties syntax) read into typed values.
 * Every wrong value is reported in one form, {@code key: value (expected: what)}; unknown keys are
 * rejected by {@link #rejectUnknownKeys()} so a typo never silently falls back to a default.
 */
public final class Settings {
    private final String source;
    private final Map<String, String> values;
    private final Set<String> read = new TreeSet<>();

    private Settings(String source, Map<String, String> values) {
        this.source = source;
        this.values = values;
    }

    /** Reads a file; a missing file is an error that names it. */
    public static Settings load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new TrucException(
                    Origin.CLI, ErrorCode.INVALID_CONFIG, file + ": cannot read configuration (" + e + ")", e);
        }
        Map<String, String> map = new TreeMap<>();
        properties.forEach((k, v) -> map.put(k.toString().trim(), v.toString().trim()));
        return new Settings(file.toString(), map);
    }

    /** Settings from a map, e.g. defaults built in code or values given on a command line. */
    public static Settings of(String source, Map<String, String> values) {
        return new Settings(source, new TreeMap<>(values));
    }

    public String string(String key, String defaultValue) {
        String value = raw(key);
        return value == null ? defaultValue : value;
    }

    public String requiredString(String key) {
        String value = raw(key);
        if (value == null || value.isEmpty()) {
            throw invalid(key, value, "a value; the key is required");
        }
        return value;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below in the common format
        }
        throw invalid(key, value, min + "-" + max);
    }

    public int port(String key, int defaultValue) {
        return integer(key, defaultValue, 0, 65535);
    }

    public boolean bool(String key, boolean defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, value, "true or false");
        };
    }

    /** A duration such as {@code 10m}, {@code 30s}, {@code 500ms}, {@code 2h} or ISO-8601 {@code PT10M}. */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        Duration parsed = parseDuration(value);
        if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw invalid(key, value, "a duration from " + min + " to " + max + ", e.g. 30s, 10m, 2h");
        }
        return parsed;
    }

    public Path path(String key, Path defaultValue) {
        String value = raw(key);
        return value == null ? defaultValue : Path.of(value);
    }

    /** An absolute http or https URL. */
    public URI url(String key, URI defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        return parseUrl(key, value);
    }

    /** A value converted by {@code parser}; its exception message becomes the "expected" part. */
    public <T> T parsed(String key, T defaultValue, Function<String, T> parser, String expected) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw invalid(key, value, expected);
        }
    }

    /** Fails on the first key that no getter asked for: a typo must not pass unnoticed. */
    public void rejectUnknownKeys() {
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                throw new TrucException(
                        Origin.CLI,
                        ErrorCode.INVALID_CONFIG,
                        source + ": unknown key '" + key + "' (expected one of: " + String.join(", ", read) + ")");
            }
        }
    }

    public TrucException invalid(String key, String value, String expected) {
        return new TrucException(
                Origin.CLI,
                ErrorCode.INVALID_CONFIG,
                source + ": " + key + ": " + value + " (expected: " + expected + ")");
    }

    private String raw(String key) {
        read.add(key);
        return values.get(key);
    }

    private URI parseUrl(String key, String value) {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below in the common format
        }
        throw invalid(key, value, "an absolute http or https URL");
    }

    static Duration parseDuration(String value) {
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return Duration.parse(value);
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> null;
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }
}
