package vn.truc.server.proxy;

/**
 * Headers of the exchange between security servers. The manifest and its CMS signature travel
 * base64-encoded in headers so the body can stream untouched; the provider's HTTP status travels
 * in {@value #STATUS}, the gateway's own errors in {@code X-Road-Error} with a JSON body.
 */
final class ExchangeHeaders {
    static final String PATH = "/truc/v1/exchange";
    static final String MANIFEST = "Truc-Manifest";
    static final String SIGNATURE = "Truc-Signature";
    static final String STATUS = "Truc-Status";

    private ExchangeHeaders() {}
}
