package io.longshore.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {

    @Test
    void aForbiddenCallNamesTheVerbsTheShippedRoleGrants() throws IOException {
        List<?> rbac = new KubernetesSerialization().unmarshal(Files.readString(Path.of("manifests", "rbac.yaml")));
        Role role = rbac.stream().filter(Role.class::isInstance).map(Role.class::cast)
                .filter(r -> ((HasMetadata) r).getMetadata().getName().equals("longshore-replicas"))
                .findFirst().orElseThrow();

        assertThat(ApiErrors.NEEDED).startsWith("pods: " + String.join(", ", role.getRules().get(0).getVerbs()))
                .contains("manifests/rbac.yaml");
    }
}
