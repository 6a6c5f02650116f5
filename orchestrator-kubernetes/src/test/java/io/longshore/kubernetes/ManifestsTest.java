package io.longshore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The manifests in {@code orchestrator-kubernetes/manifests} parse as the Kubernetes objects they
 * claim to be and fit together: the minimum Role, bound to the service account the Deployment
 * runs as, and a Service that selects the Deployment's pods and targets the gateway's port.
 */
class ManifestsTest {
    private static final Path DIR = Path.of("manifests");

    private static List<HasMetadata> objects(String file) throws IOException {
        Object parsed = new KubernetesSerialization().unmarshal(Files.readString(DIR.resolve(file)));
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof List<?> list) {
            list.forEach(item -> objects.add((HasMetadata) item));
        } else {
            objects.add((HasMetadata) parsed);
        }
        return objects;
    }

    private static <T> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).filter(o -> o.getMetadata().getName().equals(name))
                .map(type::cast).findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void theReplicasRoleGrantsExactlyThePodVerbsTheRuntimeUses() throws IOException {
        Role role = one(objects("rbac.yaml"), Role.class, "longshore-replicas");

        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("");
            assertThat(rule.getResources()).containsExactly("pods");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("create", "get", "list", "watch", "delete");
        });
    }

    @Test
    void theRolesAreBoundToTheServiceAccountTheSeedRunsAs() throws IOException {
        List<HasMetadata> rbac = objects("rbac.yaml");
        ServiceAccount account = one(rbac, ServiceAccount.class, "longshore");
        Deployment seed = one(objects("seed.yaml"), Deployment.class, "longshore-seed");

        for (String role : List.of("longshore-replicas", "longshore-pod-metrics")) {
            RoleBinding binding = one(rbac, RoleBinding.class, role);
            assertThat(binding.getRoleRef().getName()).isEqualTo(one(rbac, Role.class, role).getMetadata().getName());
            assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
                assertThat(subject.getKind()).isEqualTo("ServiceAccount");
                assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
                assertThat(subject.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
            });
        }
        assertThat(seed.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("longshore");
        List<PolicyRule> metrics = one(rbac, Role.class, "longshore-pod-metrics").getRules();
        assertThat(metrics).singleElement().satisfies(rule -> assertThat(rule.getApiGroups()).containsExactly("metrics.k8s.io"));
    }

    @Test
    void theSeedRunsOnceOnTheKubernetesRuntimeInItsNamespaceBehindAService() throws IOException {
        List<HasMetadata> objects = objects("seed.yaml");
        Deployment seed = one(objects, Deployment.class, "longshore-seed");
        Service service = one(objects, Service.class, "longshore");
        var container = seed.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(seed.getSpec().getReplicas()).isEqualTo(1);
        assertThat(seed.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(String.join(" ", container.getArgs()))
                .contains("--runtime kubernetes", "--namespace " + seed.getMetadata().getNamespace(), "--image ",
                        "--host 0.0.0.0", "--port 8080");
        assertThat(container.getEnv()).extracting("name")
                .containsExactly("ACTS_DATABASE_URL", "ACTS_DATABASE_USER", "ACTS_DATABASE_PASSWORD");
        assertThat(container.getEnv()).allSatisfy(env ->
                assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("longshore-database"));
        assertThat(service.getSpec().getSelector()).isEqualTo(seed.getSpec().getTemplate().getMetadata().getLabels());
        assertThat(container.getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo(service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
            assertThat(port.getContainerPort()).isEqualTo(8080);
        });
        assertThat(objects("namespace.yaml")).singleElement()
                .satisfies(ns -> assertThat(ns.getMetadata().getName()).isEqualTo(seed.getMetadata().getNamespace()));
    }
}
