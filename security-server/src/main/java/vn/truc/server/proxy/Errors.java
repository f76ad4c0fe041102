package vn.truc.server.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.ErrorJson;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.soap.SoapFaults;

/**
 * The one mapper from errors to answers: REST callers get JSON with {@code X-Road-Error}, SOAP
 * callers a SOAP fault. Every error is logged with its fault id, which the caller also receives.
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    static TrucException wrap(RuntimeException e, Origin origin) {
        if (e instanceof TrucException t) {
            return t;
        }
        TrucException wrapped = new TrucException(origin, ErrorCode.INTERNAL_ERROR, "internal error: " + e, e);
        LOG.error("{}", wrapped.describe(), e);
        return wrapped;
    }

    static ProxyResponse json(TrucException e) {
        log(e);
        return ProxyResponse.json(e.code().httpStatus(), ErrorJson.body(e)).header(ErrorJson.HEADER, ErrorJson.type(e));
    }

    /**
     * The answer for a peer (another agency): internal failures keep their code and fault id but
     * not their detail, which stays in this server's log.
     */
    static ProxyResponse jsonForPeer(TrucException e) {
        if (e.code() != ErrorCode.INTERNAL_ERROR
                && e.code() != ErrorCode.DATABASE_ERROR
                && e.code() != ErrorCode.SERVICE_FAILED) {
            return json(e);
        }
        log(e);
        String message = "the provider's security server could not complete the call ("
                + e.code().code() + "); its operator finds the cause in the log under the fault id";
        return ProxyResponse.json(e.code().httpStatus(), ErrorJson.body(e, message))
                .header(ErrorJson.HEADER, ErrorJson.type(e));
    }

    static ProxyResponse soapFault(TrucException e) {
        log(e);
        return ProxyResponse.bytes(500, "text/xml; charset=utf-8", SoapFaults.fault(e));
    }

    private static void log(TrucException e) {
        if (e.code() == ErrorCode.INTERNAL_ERROR || e.code() == ErrorCode.DATABASE_ERROR) {
            LOG.error("{}", e.describe());
        } else {
            LOG.warn("{}", e.describe());
        }
    }
}
