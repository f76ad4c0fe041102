package vn.truc.server;

import java.time.Instant;
import vn.truc.core.id.SecurityServerId;
import vn.truc.server.globalconf.GlobalConfClient;
import vn.truc.server.registration.RegistrationState;

/**
 * What {@code truc server status} reports: registration, global configuration, and whether the
 * federation knows this server by its current auth certificate.
 *
 * @param registration the registry's last word on the registration request (null if unknown)
 * @param registrationError why the registry could not be asked, if it could not
 * @param listedInGlobalConf whether the current global configuration lists this server with the
 *     hash of its auth certificate, i.e. peers will accept it
 */
public record ServerStatus(
        SecurityServerId serverId,
        RegistrationState registration,
        String registrationError,
        GlobalConfClient.Status globalConf,
        boolean listedInGlobalConf,
        String authCertificateHash,
        Instant authCertificateExpiry,
        Instant signCertificateExpiry) {

    /** Ready for traffic: registered, listed, and holding a configuration that has not expired. */
    public boolean ready() {
        return globalConf.valid() && listedInGlobalConf;
    }
}
