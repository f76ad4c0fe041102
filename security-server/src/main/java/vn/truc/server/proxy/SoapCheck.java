package vn.truc.server.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.message.MessageManifest;
import vn.truc.core.soap.MultipartSoap;
import vn.truc.core.soap.XRoadHeaders;
import vn.truc.core.soap.XRoadSoap;

/**
 * Reads the SOAP envelope of a spooled message (the whole body, or the root part of SOAP with
 * attachments) within the envelope size limit, and on the provider's side checks that the X-Road
 * headers the service will see are the ones that were signed: a peer cannot sign one service and
 * send the envelope of another.
 */
final class SoapCheck {
    private final int maxEnvelopeBytes;
    private final int maxParts;

    SoapCheck(int maxEnvelopeBytes, int maxParts) {
        this.maxEnvelopeBytes = maxEnvelopeBytes;
        this.maxParts = maxParts;
    }

    /** The SOAP envelope's bytes; {@code origin} is blamed when the message is too large. */
    byte[] envelope(String contentType, SpooledBody body, Origin origin) {
        boolean multipart = contentType != null && contentType.startsWith("multipart/related");
        if (!multipart && body.size() > maxEnvelopeBytes) {
            throw new TrucException(
                    origin,
                    ErrorCode.BODY_TOO_LARGE,
                    "SOAP message of " + body.size() + " bytes is larger than the limit of " + maxEnvelopeBytes);
        }
        try (InputStream in = body.open()) {
            if (!multipart) {
                return in.readAllBytes();
            }
            return MultipartSoap.parse(contentType, in, maxParts, maxEnvelopeBytes)
                    .soapPart();
        } catch (IOException e) {
            throw new TrucException(Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot read spooled body: " + e, e);
        }
    }

    /** Refuses a SOAP request whose X-Road headers differ from its signed manifest. */
    void check(MessageManifest manifest, String contentType, SpooledBody body) {
        XRoadHeaders headers;
        try {
            headers = XRoadSoap.parse(envelope(contentType, body, Origin.SERVER_PROXY))
                    .headers();
        } catch (TrucException e) {
            throw e.withOrigin(Origin.SERVER_PROXY);
        }
        boolean same = headers.client().equals(manifest.client())
                && headers.service().equals(manifest.service())
                && headers.id().equals(manifest.messageId())
                && Objects.equals(headers.userId(), manifest.userId())
                && Objects.equals(headers.issue(), manifest.issue());
        if (!same) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.INVALID_SIGNATURE,
                    "the SOAP headers (client, service, id, userId, issue) differ from what was signed");
        }
    }
}
