package vn.truc.server.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import vn.truc.core.io.AtomicFiles;

/** Where this server's registration stands, as the registry last said. */
public record RegistrationState(long id, String serverId, String state, String reason) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean approved() {
        return "APPROVED".equals(state);
    }

    static RegistrationState fromJson(JsonNode node) {
        return new RegistrationState(
                node.path("id").asLong(),
                node.path("serverId").asText(),
                node.path("state").asText(),
                node.hasNonNull("reason") ? node.get("reason").asText() : null);
    }

    public void save(Path file) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(JSON.valueToTree(this)));
    }

    public static RegistrationState load(Path file) throws IOException {
        return fromJson(JSON.readTree(Files.readAllBytes(file)));
    }
}
