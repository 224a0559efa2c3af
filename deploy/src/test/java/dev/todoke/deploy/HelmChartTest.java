package dev.todoke.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart {@code helm/todoke}: {@code helm lint}, then {@code helm template} with the default values
 * and with {@code helm/examples/production.yaml}, and the facts operators rely on read from the
 * rendered manifests.
 */
class HelmChartTest {

    private static final RenderedChart DEFAULTS = RenderedChart.render("default values", null, Map.of());
    private static final RenderedChart PRODUCTION = RenderedChart.render(
            "production values", Project.root().resolve("helm/examples/production.yaml"), Map.of());

    static Stream<RenderedChart> renders() {
        return Stream.of(DEFAULTS, PRODUCTION);
    }

    @Test
    void lintWhenChartIsCheckedStrictlyThenNothingFails() {
        LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();

        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
    }

    @Test
    void templateWhenDefaultValuesThenTwoReplicasAndNoAutoscaler() {
        assertThat(DEFAULTS.deployment().at("spec.replicas").string()).isEqualTo("2");
        assertThat(DEFAULTS.ofKind("HorizontalPodAutoscaler")).isEmpty();
    }

    @Test
    void templateWhenAutoscalingThenAutoscalerKeepsTwoReplicasAndOwnsTheCount() {
        Node hpa = PRODUCTION.one("HorizontalPodAutoscaler");

        assertThat(Integer.parseInt(hpa.at("spec.minReplicas").string())).isGreaterThanOrEqualTo(2);
        assertThat(hpa.at("spec.scaleTargetRef.name").string())
                .isEqualTo(PRODUCTION.deployment().at("metadata.name").string());
        assertThat(PRODUCTION.deployment().at("spec.replicas").present()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void templateWhenRenderedThenProbesAskActuatorOnTheManagementPort(RenderedChart chart) {
        Node container = chart.container();
        String managementPort = container
                .get("ports")
                .find("name", "management")
                .get("containerPort")
                .string();

        assertThat(managementPort).isEqualTo("8081");
        assertThat(container
                        .get("env")
                        .find("name", "MANAGEMENT_SERVER_PORT")
                        .get("value")
                        .string())
                .isEqualTo(managementPort);
        assertThat(container.at("livenessProbe.httpGet.path").string()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("livenessProbe.httpGet.port").string()).isEqualTo("management");
        assertThat(container.at("readinessProbe.httpGet.path").string()).isEqualTo("/actuator/health/readiness");
        assertThat(container.at("readinessProbe.httpGet.port").string()).isEqualTo("management");
        assertThat(container.at("startupProbe.httpGet.path").string()).isEqualTo("/actuator/health/liveness");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void templateWhenRenderedThenNoSecretValueAnywhereAndNoSecretObject(RenderedChart chart) {
        assertThat(SecretScan.inConfigMaps(chart)).isEmpty();
        assertThat(SecretScan.inEnv(chart)).isEmpty();
        assertThat(chart.ofKind("Secret")).isEmpty();
    }

    @Test
    void templateWhenProductionValuesThenEverySecretComesFromItsSecret() {
        Node env = PRODUCTION.container().get("env");
        Map<String, String> expected = Map.ofEntries(
                Map.entry("TODOKE_WEB_SECRET", "todoke-keys/web-secret"),
                Map.entry("TODOKE_MAIL_SEAL_KEY", "todoke-keys/seal-key"),
                Map.entry("TODOKE_AUDIT_KEY", "todoke-keys/audit-key"),
                Map.entry("TODOKE_STORAGE_KEYS_KEK_0_KEY", "todoke-keys/kek-2026-06"),
                Map.entry("TODOKE_STORAGE_KEYS_KEK_1_KEY", "todoke-keys/kek-2026-12"),
                Map.entry("SPRING_DATASOURCE_USERNAME", "todoke-db-app/username"),
                Map.entry("SPRING_DATASOURCE_PASSWORD", "todoke-db-app/password"),
                Map.entry("TODOKE_STORAGE_S3_ACCESS_KEY", "todoke-s3/access-key"),
                Map.entry("TODOKE_STORAGE_S3_SECRET_KEY", "todoke-s3/secret-key"),
                Map.entry("TODOKE_RELAY_USERNAME", "todoke-relay/username"),
                Map.entry("TODOKE_RELAY_PASSWORD", "todoke-relay/password"),
                Map.entry("TODOKE_RELAY_TRUST_STORE_PASSWORD", "todoke-relay-ca/password"),
                Map.entry("TODOKE_ADMIN_PASSWORD", "todoke-admin/password"),
                Map.entry(
                        "SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_TODOKE_CLIENTSECRET", "todoke-oidc/client-secret"));

        expected.forEach((name, secretAndKey) -> {
            Node variable = env.find("name", name);
            assertThat(variable.get("value").present()).as(name).isFalse();
            Node ref = variable.at("valueFrom.secretKeyRef");
            assertThat(ref.get("name").string() + "/" + ref.get("key").string())
                    .as(name)
                    .isEqualTo(secretAndKey);
        });
        assertThat(env.find("name", "TODOKE_STORAGE_KEYS_KEK_1_ID").get("value").string())
                .isEqualTo("2026-12");
    }

    @Test
    void secretScanWhenSecretIsPutIntoConfigOrEnvThenItIsFound() {
        RenderedChart leaky = RenderedChart.render(
                "leaky values",
                null,
                Map.of(
                        "config.todoke.web.secret", "c2VjcmV0LXNlY3JldC1zZWNyZXQ=",
                        "config.spring.datasource.password", "hunter2",
                        "extraEnv[0].name", "TODOKE_RELAY_PASSWORD",
                        "extraEnv[0].value", "hunter2"));

        assertThat(SecretScan.inConfigMaps(leaky))
                .containsExactlyInAnyOrder(
                        "ConfigMap todoke: application.yaml todoke.web.secret",
                        "ConfigMap todoke: application.yaml spring.datasource.password");
        assertThat(SecretScan.inEnv(leaky)).containsExactly("todoke: TODOKE_RELAY_PASSWORD");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void templateWhenRenderedThenPodRunsNonRootOnReadOnlyRootWithoutCapabilities(RenderedChart chart) {
        Node pod = chart.deployment().at("spec.template.spec");
        Node container = chart.container();

        assertThat(pod.at("securityContext.runAsNonRoot").string()).isEqualTo("true");
        assertThat(pod.at("securityContext.runAsUser").string()).isNotEqualTo("0");
        assertThat(pod.at("securityContext.seccompProfile.type").string()).isEqualTo("RuntimeDefault");
        assertThat(container.at("securityContext.runAsNonRoot").string()).isEqualTo("true");
        assertThat(container.at("securityContext.readOnlyRootFilesystem").string())
                .isEqualTo("true");
        assertThat(container.at("securityContext.allowPrivilegeEscalation").string())
                .isEqualTo("false");
        assertThat(container.at("securityContext.capabilities.drop").list())
                .extracting(Node::string)
                .containsExactly("ALL");
        assertThat(container.at("securityContext.capabilities.add").list()).isEmpty();
        assertThat(container.at("securityContext.seccompProfile.type").string()).isEqualTo("RuntimeDefault");
        assertThat(pod.get("enableServiceLinks").string()).isEqualTo("false");
        assertThat(pod.get("automountServiceAccountToken").string()).isEqualTo("false");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void templateWhenRenderedThenOnlyDataAndTmpAreWritableVolumes(RenderedChart chart) {
        Node pod = chart.deployment().at("spec.template.spec");
        List<String> writable = chart.container().get("volumeMounts").list().stream()
                .filter(mount -> !mount.get("readOnly").string().equals("true"))
                .map(mount -> mount.get("mountPath").string())
                .toList();

        assertThat(writable).containsExactlyInAnyOrder("/data", "/tmp");
        Node data = pod.get("volumes").find("name", "data");
        assertThat(data.get("emptyDir").present() || data.get("ephemeral").present())
                .as("the spool is an emptyDir or a per-pod claim")
                .isTrue();
        assertThat(chart.container().at("resources.requests.memory").present()).isTrue();
        assertThat(chart.container().at("resources.limits.memory").present()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void templateWhenRenderedThenSmtpServiceIsInternalAndSeparateFromHttp(RenderedChart chart) {
        List<Node> services = chart.ofKind("Service");
        Node smtp = services.stream()
                .filter(s -> !s.at("spec.ports").find("targetPort", "smtp").equals(Node.MISSING))
                .findFirst()
                .orElseThrow();

        assertThat(services).hasSize(2);
        assertThat(smtp.at("spec.type").string()).isEqualTo("ClusterIP");
        assertThat(smtp.at("spec.ports").list()).hasSize(1);
        for (Node service : services) {
            assertThat(service.at("spec.type").string()).isNotIn("LoadBalancer", "NodePort");
        }
        Node http = services.stream().filter(s -> s != smtp).findFirst().orElseThrow();
        assertThat(http.at("spec.ports").list())
                .extracting(p -> p.get("targetPort").string())
                .containsExactly("http");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void templateWhenRenderedThenIngressServesThePublicUrlOverTls(RenderedChart chart) {
        Node ingress = chart.one("Ingress");
        String host = ingress.at("spec.rules").list().getFirst().get("host").string();
        Node settings = settings(chart);

        assertThat(ingress.at("spec.tls").list().getFirst().get("hosts").list())
                .extracting(Node::string)
                .containsExactly(host);
        assertThat(ingress.at("spec.tls").list().getFirst().get("secretName").string())
                .isNotBlank();
        assertThat(URI.create(settings.at("todoke.public-url").string()))
                .hasScheme("https")
                .hasHost(host);
        assertThat(settings.at("todoke.mode").string()).isEqualTo("production");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void templateWhenRenderedThenNetworkPolicyLetsOnlyTheMtaReachSmtp(RenderedChart chart) {
        Node policy = chart.one("NetworkPolicy");

        assertThat(policy.at("spec.podSelector.matchLabels").value())
                .isEqualTo(chart.deployment().at("spec.selector.matchLabels").value());
        assertThat(policy.at("spec.policyTypes").list())
                .extracting(Node::string)
                .contains("Ingress");
        for (Node rule : policy.at("spec.ingress").list()) {
            List<String> ports = rule.get("ports").list().stream()
                    .map(p -> p.get("port").string())
                    .toList();
            assertThat(ports).as("a rule without ports would open SMTP too").isNotEmpty();
            if (ports.contains("smtp")) {
                assertThat(ports).containsExactly("smtp");
                assertThat(rule.get("from").list()).isNotEmpty();
                for (Node peer : rule.get("from").list()) {
                    assertThat(peer.get("ipBlock").present()
                                    || peer.get("namespaceSelector").present())
                            .as("SMTP peer %s", peer.value())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void templateWhenProductionValuesThenSmtpPeersAreTheMtaCidrAndNamespace() {
        Node smtpRule = PRODUCTION.one("NetworkPolicy").at("spec.ingress").list().stream()
                .filter(rule -> !rule.get("ports").find("port", "smtp").equals(Node.MISSING))
                .findFirst()
                .orElseThrow();

        assertThat(smtpRule.get("from").list())
                .extracting(Node::value)
                .containsExactly(
                        Map.of("ipBlock", Map.of("cidr", "192.0.2.25/32")),
                        Map.of(
                                "namespaceSelector",
                                Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "mail")),
                                "podSelector",
                                Map.of("matchLabels", Map.of("app.kubernetes.io/name", "postfix"))));
        assertThat(settings(PRODUCTION).at("todoke.smtp.allowed-networks").list())
                .extracting(Node::string)
                .contains("192.0.2.25/32");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void templateWhenRenderedThenDisruptionBudgetKeepsOnePodUp(RenderedChart chart) {
        Node pdb = chart.one("PodDisruptionBudget");

        assertThat(pdb.at("spec.selector.matchLabels").value())
                .isEqualTo(chart.deployment().at("spec.selector.matchLabels").value());
        assertThat(pdb.at("spec.maxUnavailable").string()).isEqualTo("1");
    }

    @Test
    void templateWhenProductionValuesThenExternalPostgresAndS3AreConfigured() {
        Node settings = settings(PRODUCTION);

        assertThat(settings.at("spring.datasource.url").string()).startsWith("jdbc:postgresql://");
        assertThat(settings.at("todoke.storage.s3.endpoint").string()).isEqualTo("http://minio.minio.svc:9000");
        assertThat(settings.at("todoke.storage.s3.bucket").string()).isEqualTo("todoke-attachments");
        assertThat(settings.at("todoke.storage.keys.primary").string()).isEqualTo("2026-12");
        assertThat(settings.at("todoke.relay.starttls").string()).isEqualTo("required");
        assertThat(settings.at("todoke.internal-domains").list()).isNotEmpty();
        assertThat(settings.at("todoke.clamav.host").string()).isEqualTo("clamav.clamav.svc");
        assertThat(settings.at("todoke.clamav.port").value()).isEqualTo(3310);
    }

    @Test
    void templateWhenProductionValuesThenSingleSignOnIsRegisteredAsTodoke() {
        Node settings = settings(PRODUCTION);

        assertThat(settings.at("spring.security.oauth2.client.provider.todoke.issuer-uri")
                        .string())
                .isEqualTo("https://login.example.com/realms/corp");
        assertThat(settings.at("spring.security.oauth2.client.registration.todoke.client-id")
                        .string())
                .isEqualTo("todoke");
        assertThat(settings.at("spring.security.oauth2.client.registration.todoke.scope")
                        .value())
                .isEqualTo(List.of("openid", "email", "profile"));
        assertThat(settings.at("spring.security.oauth2.client.registration.todoke.client-secret")
                        .present())
                .isFalse();
        assertThat(settings.at("todoke.admin.oidc.role-value").string()).isEqualTo("todoke-admin");
    }

    @Test
    void templateWhenDefaultValuesThenNoSingleSignOn() {
        Node settings = settings(DEFAULTS);

        assertThat(settings.at("spring.security").present()).isFalse();
        assertThat(String.valueOf(DEFAULTS.container().get("env").value())).doesNotContain("OAUTH2");
    }

    @Test
    void templateWhenDefaultValuesThenVirusScanAsksClamdInThePod() {
        Node settings = settings(DEFAULTS);

        assertThat(settings.at("todoke.clamav.host").string()).isEqualTo("127.0.0.1");
        assertThat(settings.at("todoke.clamav.timeout").string()).isEqualTo("60s");
    }

    /** The application.yaml of the chart's ConfigMap, parsed. */
    private static Node settings(RenderedChart chart) {
        String yaml = chart.one("ConfigMap").at("data").get("application.yaml").string();
        return new Node(new org.yaml.snakeyaml.Yaml().load(yaml));
    }
}
