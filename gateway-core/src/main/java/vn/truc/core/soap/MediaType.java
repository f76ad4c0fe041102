package vn.truc.core.soap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import vn.truc.core.error.TrucException;

/**
 * A Content-Type value read strictly (RFC 2045 section 5.1): {@code type/subtype} then {@code ;
 * name=value} parameters, values as tokens or quoted strings. Type, subtype and parameter names are
 * lower-cased; a repeated parameter is an error. One trailing {@code ;} is tolerated: common and harmless.
 */
record MediaType(String type, String subtype, Map<String, String> parameters) {
    private static final String SPECIALS = "()<>@,;:\\\"/[]?=";
    private static final int QUOTE_LIMIT = 200;

    static MediaType parse(String value, String what) {
        if (value == null || value.isBlank()) {
            throw SoapEnvelope.invalid(what + " is missing");
        }
        Cursor c = new Cursor(value, what);
        c.skipSpace();
        String type = c.token("media type");
        c.expect('/');
        String subtype = c.token("media subtype");
        Map<String, String> parameters = new LinkedHashMap<>();
        c.skipSpace();
        while (!c.atEnd()) {
            c.expect(';');
            c.skipSpace();
            if (c.atEnd()) {
                break;
            }
            String name = c.token("parameter name").toLowerCase(Locale.ROOT);
            c.expect('=');
            String parameter = c.peek() == '"' ? c.quoted() : c.token("value of parameter " + name);
            if (parameters.put(name, parameter) != null) {
                throw c.error("parameter " + name + " is repeated");
            }
            c.skipSpace();
        }
        return new MediaType(
                type.toLowerCase(Locale.ROOT),
                subtype.toLowerCase(Locale.ROOT),
                Collections.unmodifiableMap(parameters));
    }

    boolean is(String expectedType, String expectedSubtype) {
        return type.equals(expectedType) && subtype.equals(expectedSubtype);
    }

    /** The parameter's value, or {@code null}; {@code name} is lower-case. */
    String parameter(String name) {
        return parameters.get(name);
    }

    /** {@code type/subtype}, without parameters. */
    String essence() {
        return type + "/" + subtype;
    }

    private static final class Cursor {
        private final String text;
        private final String what;
        private int at;

        Cursor(String text, String what) {
            this.text = text;
            this.what = what;
        }

        boolean atEnd() {
            return at == text.length();
        }

        char peek() {
            return atEnd() ? 0 : text.charAt(at);
        }

        void skipSpace() {
            while (peek() == ' ' || peek() == '\t') {
                at++;
            }
        }

        void expect(char expected) {
            if (peek() != expected) {
                throw error("expected '" + expected + "' at position " + at);
            }
            at++;
        }

        String token(String name) {
            int start = at;
            while (!atEnd() && isTokenChar(peek())) {
                at++;
            }
            if (at == start) {
                throw error("expected " + name + " at position " + start);
            }
            return text.substring(start, at);
        }

        String quoted() {
            StringBuilder value = new StringBuilder();
            at++;
            while (peek() != '"') {
                char ch = peek();
                if (atEnd() || ch == '\r' || ch == '\n') {
                    throw error("unterminated quoted string");
                }
                if (ch == '\\') {
                    at++;
                    if (atEnd()) {
                        throw error("unterminated quoted string");
                    }
                }
                value.append(text.charAt(at++));
            }
            at++;
            return value.toString();
        }

        TrucException error(String problem) {
            String shown = text.length() > QUOTE_LIMIT ? text.substring(0, QUOTE_LIMIT) + "..." : text;
            return SoapEnvelope.invalid(what + " '" + shown + "' is malformed: " + problem);
        }

        private static boolean isTokenChar(char ch) {
            return ch > 0x20 && ch < 0x7F && SPECIALS.indexOf(ch) < 0;
        }
    }
}
