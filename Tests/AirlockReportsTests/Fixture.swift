import AirlockCore
import AirlockReports
import Foundation

/// One fixed result with every awkward case the reporters must survive: no location, no
/// resource, cluster-scoped resources, multibyte and wide text, XML-special and control
/// characters, suppressions (external and inline), a Helm source, related locations, evaluation,
/// input and policy diagnostics, a rule with no evaluated objects, a rule that only passes and a rule
/// that did not run.
enum Fixture {
    static let apiDeployment = ResourceRef(apiVersion: "apps/v1", kind: "Deployment", namespace: "team-a", name: "api")
    static let worker = ResourceRef(apiVersion: "apps/v1", kind: "Deployment", namespace: "team-b", name: "worker")
    static let cache = ResourceRef(apiVersion: "apps/v1", kind: "StatefulSet", namespace: "team-a", name: "cache")
    static let namespaceA = ResourceRef(apiVersion: "v1", kind: "Namespace", namespace: "", name: "team-a")
    static let namespaceB = ResourceRef(apiVersion: "v1", kind: "Namespace", namespace: "", name: "team-b")

    static let rules: [CheckResult.RuleRun] = [
        .init(
            rule: RuleDescriptor(
                id: "classification.cross-level", title: "Data must not cross classification levels",
                description: "A workload reads a data source of another classification level.",
                remediation: "Read only data sources labelled with the namespace's own `classification`.",
                category: .classification, severity: .high, controls: ["NIST-800-53:AC-4", "NIST-800-53:SC-7"]),
            evaluated: ["team-b/Deployment/worker", "team-a/Deployment/api", "team-a/NetworkPolicy/allow-all"]),
        .init(
            rule: RuleDescriptor(
                id: "registry.local-only", title: "Images come from the local registry at edge",
                description: "At the edge tier every image must be pulled from registry.local:5000.",
                remediation: "Mirror the image into registry.local:5000 and reference it by digest.",
                category: .registryLocality, severity: .critical, controls: []),
            evaluated: ["team-a/Deployment/api", "team-a/StatefulSet/cache", "team-b/Deployment/worker"]),
        .init(
            rule: RuleDescriptor(
                id: "quota.required", title: "Every team namespace has a ResourceQuota",
                description: "Namespaces labelled with a team need a ResourceQuota.",
                remediation: "Add a ResourceQuota with cpu, memory, nvidia.com/gpu, PVC and pod limits.",
                category: .quota, severity: .medium, controls: ["CIS-5.7.1"]),
            evaluated: ["Namespace/team-a", "Namespace/team-b"]),
        .init(
            rule: RuleDescriptor(
                id: "package.license", title: "Package licences are on the allow-list",
                description: "package.yaml declares a licence that is not approved.",
                remediation: "Use an approved licence (Apache-2.0, MIT) or request an exception.",
                category: .package, severity: .low, controls: []),
            evaluated: ["packages/検索/package.yaml"]),
        .init(
            rule: RuleDescriptor(
                id: "bundle.checksum", title: "Bundles carry a matching .sha256 sidecar",
                description: "An air-gap bundle has no checksum or it does not match.",
                remediation: "Regenerate the .sha256 sidecar with sha256sum.",
                category: .bundle, severity: .info, controls: []),
            evaluated: []),
        .init(
            rule: RuleDescriptor(
                id: "general.labels", title: "Workloads carry the team label",
                description: "Every workload has a `team` label.", remediation: "Add metadata.labels.team.",
                category: .general, severity: .low, controls: []),
            evaluated: ["team-a/Deployment/api"]),
        .init(
            rule: RuleDescriptor(
                id: "airgap.no-ingress", title: "No Ingress at the edge",
                description: "An edge deployment takes no traffic from outside.", remediation: "Remove the Ingress.",
                category: .airgapEgress, severity: .high, controls: []),
            evaluated: [], notRun: "it applies only at tier edge, and no deployment tier was given"),
        .init(
            rule: RuleDescriptor(
                id: "team.deployments-owned", title: "Deployments name their owner",
                description: "A rule of the user's own policies, whose kind is misspelt.", remediation: "Add metadata.labels.owner.",
                category: .general, severity: .medium, controls: []),
            evaluated: [], matchedNothing: "none of the 6 objects of the inputs is of its kinds (Deploymnet); did you mean Deployment?"),
    ]

    /// The Deployment's image finding, repeated by its Pods (folded, see `OwnedObjectFolding`).
    static let imageFinding: Finding = {
        var finding = Finding(
            ruleID: "registry.local-only", category: .registryLocality, severity: .critical,
            message: "image docker.io/library/nginx:1.25 is not from registry.local:5000, 100% off-site,\nsee the air-gap playbook",
            location: SourceSpan(file: "deploy/api.yaml", line: 20, column: 18, endLine: 20, endColumn: 46),
            helmSource: "platform/templates/api.yaml", resource: apiDeployment)
        finding.alsoIn = [
            FoldedOccurrence(
                resource: ResourceRef(apiVersion: "v1", kind: "Pod", namespace: "team-a", name: "api-5d8f-x2k"),
                location: SourceSpan(file: "export/pods.json", line: 40, column: 22), message: finding.message),
            FoldedOccurrence(
                resource: ResourceRef(apiVersion: "v1", kind: "Pod", namespace: "team-a", name: "api-5d8f-q7z"),
                location: SourceSpan(file: "export/pods.json", line: 90, column: 22),
                message: "image docker.io/library/nginx:1.25@sha256:0a1b is not from registry.local:5000"),
        ]
        return finding
    }()

    static let findings: [Finding] = [
        imageFinding,
        Finding(
            ruleID: "classification.cross-level", category: .classification, severity: .high,
            message: #"Deployment "api" (secret) reads from <unclassified> & 'public' data"#,
            location: SourceSpan(file: "deploy/api.yaml", line: 12, column: 7, endLine: 12, endColumn: 30),
            helmSource: "platform/templates/api.yaml", resource: apiDeployment,
            relatedLocations: [
                RelatedLocation(
                    message: "NetworkPolicy allow-all opens the boundary",
                    location: SourceSpan(file: "deploy/netpol.yaml", line: 4, column: 3)),
            ]),
        Finding(
            ruleID: "quota.required", category: .quota, severity: .medium,
            message: "namespace team-a has no ResourceQuota", location: nil, resource: namespaceA),
        Finding(
            ruleID: "package.license", category: .package, severity: .low,
            message: "licence „Proprietär“ is not on the allow-list (名前 ✓)",
            location: SourceSpan(file: "packages/検索/package.yaml", line: 3, column: 5)),
        Finding(
            ruleID: "package.license", category: .package, severity: .low,
            message: "a dependency's licence could not be determined", location: nil),
        Finding(
            ruleID: "classification.cross-level", category: .classification, severity: .high,
            message: "label value \"sec\u{0001}ret\" contains a control character",
            location: SourceSpan(file: "deploy/worker.yaml", line: 8, column: 5), resource: worker,
            suppression: Suppression(
                kind: .external, justification: "Legacy worker, migration tracked in PLAT-42",
                owner: "platform-team", expires: "2030-01-31")),
        Finding(
            ruleID: "registry.local-only", category: .registryLocality, severity: .critical,
            message: "image quay.io/cache:7 is not from registry.local:5000",
            location: SourceSpan(file: "deploy/cache.yaml", line: 5, column: 16), resource: cache,
            suppression: Suppression(kind: .inline, justification: "vendored <cache> & mirrored nightly")),
    ]

    static let diagnostics: [Diagnostic] = [
        Diagnostic(
            kind: .evaluation, message: "no such key: spec.hard",
            location: SourceSpan(file: "deploy/namespaces.yaml", line: 9, column: 1),
            ruleID: "quota.required", resource: namespaceB),
        Diagnostic(
            kind: .input, message: "mapping values are not allowed here",
            location: SourceSpan(file: "values/bad values.yaml", line: 7, column: 3)),
        Diagnostic(kind: .policy, message: #"policy "broken.yaml": unknown field "severty""#, location: nil),
    ]

    static let artifacts: [CheckResult.Artifact] = [
        .init(path: "deploy/worker.yaml", sha256: String(repeating: "b", count: 64)),
        .init(path: "deploy/api.yaml", sha256: String(repeating: "a", count: 64)),
        .init(path: "packages/検索/package.yaml", sha256: String(repeating: "c", count: 64)),
        .init(path: "values/bad values.yaml", sha256: String(repeating: "d", count: 64)),
    ]

    static let result = CheckResult(
        rules: rules, findings: findings, diagnostics: diagnostics, artifacts: artifacts, failOn: .low)

    /// The same findings with no diagnostics: a run that is trusted and fails on findings.
    static let resultWithoutDiagnostics = CheckResult(
        rules: rules, findings: findings, diagnostics: [], artifacts: artifacts, failOn: .low)

    static let emptyResult = CheckResult(rules: [], findings: [], diagnostics: [], artifacts: [])

    static let sources: [String: String] = [
        "deploy/api.yaml": (1...25).map { line -> String in
            switch line {
            case 12: return "      dataSources: [unclassified-public]"
            case 20: return "        - image: docker.io/library/nginx:1.25"
            default: return "# line \(line)"
            }
        }.joined(separator: "\n"),
        "packages/検索/package.yaml": "name: 検索\nversion: 1.0.0\n名前: „Proprietär“\n",
    ]

    static let context = ReportContext(
        toolVersion: "1.2.3", informationURI: "https://airlock.example.invalid/docs",
        timestamp: Date(timeIntervalSince1970: 1_700_000_000),
        sourceLines: ReportContext.sourceLines(from: sources))

    /// Every result the schema and determinism tests run through every format.
    static let allResults: [(name: String, result: CheckResult)] = [
        ("fixture", result), ("no-diagnostics", resultWithoutDiagnostics), ("empty", emptyResult),
    ]

    /// The package root, from this file's path: Tests/AirlockReportsTests/Fixture.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/schemas/<relative>` beside the package root, or nil when absent.
    static func sharedSchema(_ relative: String) -> URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/schemas/\(relative)")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
