import Foundation
import XCTest

/// Every real-world manifest in ../shared/realworld loads; the files airlock must reject are listed
/// here with the reason.
final class RealWorldTests: XCTestCase {
    /// Files that are not (only) Kubernetes objects or are broken on purpose, with the first error expected.
    static let rejected: [String: String] = [
        "ahmetb__kubernetes-network-policy-recipes/recipes__yaml-blocks-from-markdown.yaml": "document is not a Kubernetes object: missing kind",
        "argoproj__argo-cd/manifests__ha__base__redis-ha__chart__values.yaml": "document is not a Kubernetes object: missing kind",
        "cert-manager__cert-manager/deploy__charts__cert-manager__values.yaml": "document is not a Kubernetes object: missing kind and apiVersion (a Helm values file? give it with --values)",
        "projectcapsule__capsule/charts__capsule__values.yaml": "document is not a Kubernetes object: missing kind",
        "stackrox__kube-linter/pkg__command__lint__testdata__invalid.yaml": "malformed YAML",
        "stackrox__kube-linter/tests__checks__cel.yml": "duplicate key \"apiVersion\"",
        "yannh__kubeconform/fixtures__duplicate_property.yaml": "duplicate key \"containers\"",
        "yannh__kubeconform/fixtures__duplicates.yaml": "default/ReplicationController/bob is defined twice: kubectl apply keeps the last, helm install refuses them; keep one (first at line 3)",
        "yannh__kubeconform/fixtures__missing_kind_value.yaml": "document is not a Kubernetes object: kind is empty",
        "yannh__kubeconform/fixtures__blank.yaml": "the inputs hold no Kubernetes resource",
        "yannh__kubeconform/fixtures__comment.yaml": "the inputs hold no Kubernetes resource",
        "yannh__kubeconform/fixtures__list_empty_valid.yaml": "the inputs hold no Kubernetes resource",
    ]

    func testEveryRealWorldFileLoadsOrIsRejectedForAKnownReason() throws {
        let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/realworld")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw XCTSkip("../shared/realworld is absent; these tests need the shared test data")
        }
        let repos = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var checked = 0
        for repo in repos {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(repo).path)) ?? []
            for file in files.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") || file.hasSuffix(".json") {
                let key = "\(repo)/\(file)"
                let result = try airlock(["inventory", "--format", "json", folder.appendingPathComponent(key).path])
                checked += 1
                if let reason = Self.rejected[key] {
                    XCTAssertEqual(result.exitCode, 2, key)
                    XCTAssertTrue(result.stderr.contains(reason), "\(key): \(result.stderr)")
                } else {
                    XCTAssertEqual(result.exitCode, 0, "\(key): \(result.stderr.prefix(500))")
                }
            }
        }
        XCTAssertGreaterThan(checked, 40)
    }

    /// kubernetes/examples' vLLM Deployment names its model as `--model=$(MODEL_ID)` with
    /// `MODEL_ID=google/gemma-3-1b-it`: vLLM downloads it from the Hugging Face Hub at startup,
    /// which the edge and the datacenter have no way to (it passed both); the connected tier may.
    func testTheVLLMExampleDownloadingItsModelFromTheHubFailsWithoutConnectivity() throws {
        let file = packageRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/realworld/kubernetes__examples/AI__vllm-deployment__vllm-deployment.yaml")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw XCTSkip("../shared/realworld is absent; these tests need the shared test data")
        }
        for tier in ["edge", "datacenter", "connected"] {
            let result = try airlock(["check", "--tier", tier, "--format", "json", file.path])
            let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stderr)
            let findings = (report["findings"] as? [[String: Any]] ?? []).filter { $0["ruleId"] as? String == "no-external-model-endpoints" }
            let described = findings.map { finding -> String in
                let location = finding["location"] as? [String: Any] ?? [:]
                return "\(location["line"] ?? ""):\(location["column"] ?? "") \(finding["message"] ?? "")"
            }
            XCTAssertEqual(described, tier == "connected" ? [] : [
                "35:11 container inference-server: --model names google/gemma-3-1b-it, a Hugging Face Hub repository, "
                    + "which the model server downloads from the Hub at startup, at tier \(tier)",
            ], tier)
        }
    }

    /// The Kyverno ValidatingPolicies among the real-world files load as policies, every one of
    /// them, and run as Kyverno runs them: a Pod rule without selectors also checks a
    /// Deployment's pod template (autogen); cert-manager's, which select namespaces, check Pods only.
    func testKyvernoValidatingPoliciesLoadAndRunAsKyvernoRunsThem() throws {
        let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/realworld")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw XCTSkip("../shared/realworld is absent; these tests need the shared test data")
        }
        let manifests = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              template:
                spec:
                  containers: [{name: web, image: docker.io/nginx:1}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: debug, namespace: shop}
            spec:
              automountServiceAccountToken: false
              securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
              containers:
              - name: debug
                image: kyverno:1
                securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
            """
        let result = try airlock([
            "check", "--no-builtin", "--format", "json", "-",
            "--policies", folder.appendingPathComponent("cert-manager__cert-manager/make__config__kyverno__policy.yaml").path,
            "--policies", folder.appendingPathComponent("kyverno__policies/other-vpol__allowed-image-repos__allowed-image-repos.yaml").path,
        ], input: manifests)
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["rules"] as? [Any])?.count, 19)
        XCTAssertEqual((report["diagnostics"] as? [Any])?.count, 0, result.stdout)
        let findings = (report["findings"] as? [[String: Any]] ?? []).map { finding -> String in
            let resource = (finding["resource"] as? [String: Any])?["kind"] as? String ?? "-"
            return "\(finding["ruleId"] as? String ?? "") \(resource)"
        }
        XCTAssertEqual(findings, ["allowed-image-repos Deployment"])
    }

    /// A ClusterPolicy's CEL rule runs on Kyverno's own test resources for it as its kyverno-test
    /// expects: every `bad` Pod, Deployment and CronJob fails, every `good` one passes (autogen).
    /// The policy is written here; Kyverno's ClusterPolicy of generate rules among the real-world
    /// files is an error that says what airlock reads.
    func testKyvernoClusterPolicyCELRulesRunAsKyvernosTestsExpect() throws {
        let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/realworld/kyverno__policies")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw XCTSkip("../shared/realworld is absent; these tests need the shared test data")
        }
        let policy = """
            apiVersion: kyverno.io/v1
            kind: ClusterPolicy
            metadata: {name: require-run-as-non-root-user}
            spec:
              validationFailureAction: Audit
              rules:
              - name: run-as-non-root-user
                match: {any: [{resources: {kinds: [Pod]}}]}
                validate:
                  message: A pod or one of its containers runs as root.
                  cel:
                    variables:
                    - {name: containers, expression: "object.spec.containers + object.spec.?initContainers.orValue([]) + object.spec.?ephemeralContainers.orValue([])"}
                    expressions:
                    - expression: "object.spec.?securityContext.?runAsUser.orValue(1) > 0"
                    - expression: "variables.containers.all(c, c.?securityContext.?runAsUser.orValue(1) > 0)"
            """
        let policyFile = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-kyverno-\(UUID().uuidString).yaml")
        try policy.write(to: policyFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: policyFile) }
        let resources = folder.appendingPathComponent("pod-security-cel__restricted__require-run-as-non-root-user__.kyverno-test__resource.yaml")
        let result = try airlock(["check", "--no-builtin", "--format", "json", "--policies", policyFile.path, resources.path])
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["diagnostics"] as? [Any])?.count, 0, result.stdout)
        let failed = Set((report["findings"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["name"] as? String })
        let expected = Set(["pod", "deployment", "cronjob"].flatMap { kind in (1...6).map { "bad\(kind)0\($0)" } })
        XCTAssertEqual(failed, expected)

        let generating = try airlock([
            "check", "--no-builtin", "--policies", folder.appendingPathComponent("best-practices__add-ns-quota__add-ns-quota.yaml").path, resources.path,
        ])
        XCTAssertEqual(generating.exitCode, 2)
        XCTAssertTrue(generating.stdout.contains("spec.rules[].generate: airlock reads only validate.cel rules"), generating.stdout)
    }

    /// Kubernetes' own example ValidatingAdmissionPolicy reads `namespaceObject.metadata.labels`,
    /// which every Namespace has in a cluster (the API server sets `kubernetes.io/metadata.name`):
    /// a Namespace written without labels was an evaluation error (exit 2), not the finding the
    /// API server would deny the Deployment with.
    func testANamespaceReadsTheNameLabelTheAPIServerGivesIt() throws {
        let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/realworld")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw XCTSkip("../shared/realworld is absent; these tests need the shared test data")
        }
        let manifests = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: stage, labels: {environment: staging}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, labels: {app: web}}
            spec:
              template:
                spec:
                  containers: [{name: web, image: example.com/web:1}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: stage, labels: {app: web}}
            spec:
              template:
                spec:
                  containers: [{name: web, image: staging.example.com/web:1}]
            """
        let policy = "kubernetes__website/content__en__examples__access__image-matches-namespace-environment.policy.yaml"
        let result = try airlock(
            ["check", "--no-builtin", "--format", "json", "-", "--policies", folder.appendingPathComponent(policy).path],
            input: manifests)
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["diagnostics"] as? [Any])?.count, 0, result.stdout)
        let findings = (report["findings"] as? [[String: Any]] ?? []).map { $0["message"] as? String ?? "" }
        XCTAssertEqual(findings, ["only prod images are allowed in namespace shop"])
    }
}
