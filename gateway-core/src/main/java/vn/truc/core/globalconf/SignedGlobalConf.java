package vn.truc.core.globalconf;

import org.w3c.dom.Document;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.xml.SecureXml;
import vn.truc.core.xml.XmlSignatures;

/**
 * Checks a downloaded global configuration against an anchor: parsed safely, signed by the
 * anchor's certificate over the whole document, for the anchor's instance. Freshness (expiry,
 * serial) is the holder's business: see the security server's configuration client.
 */
public final class SignedGlobalConf {
    private SignedGlobalConf() {}

    public static GlobalConf verify(byte[] xml, Anchor anchor) {
        Document doc = SecureXml.parse(xml, "global configuration");
        XmlSignatures.verifyEnveloped(doc, anchor.signingCertificate().getPublicKey(), "global configuration");
        GlobalConf conf = GlobalConfXml.read(doc);
        if (!conf.instance().equals(anchor.instance())) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.INVALID_SIGNATURE,
                    "global configuration is for instance '" + conf.instance() + "', the anchor for '"
                            + anchor.instance() + "'");
        }
        return conf;
    }
}
