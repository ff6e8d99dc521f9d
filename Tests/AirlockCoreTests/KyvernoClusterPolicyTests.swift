import AirlockCore
import XCTest

/// The CEL rules of Kyverno ClusterPolicies and Policies load as airlock rules and run as Kyverno
/// runs them; what airlock cannot honour is an error at its place.
final class KyvernoClusterPolicyTests: XCTestCase {
    private let objects = """
        apiVersion: v1
        kind: Pod
        metadata: {name: root, namespace: team-a, labels: {app: web}}
        spec: {securityContext: {runAsUser: 0}, containers: [{name: c, image: x}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: root-deploy, namespace: team-b}
        spec: {template: {metadata: {labels: {app: api}}, spec: {securityContext: {runAsUser: 0}, containers: [{name: c, image: x}]}}}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: root-cron, namespace: team-a}
        spec: {jobTemplate: {spec: {template: {spec: {securityContext: {runAsUser: 0}, containers: [{name: c, image: x}]}}}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: fine, namespace: team-a}
        spec: {containers: [{name: c, image: x}]}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: team-a}
        data: {mode: debug}
        ---
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: hello, namespace: team-a}
        spec: {template: {spec: {containers: [{image: x}]}}}
        """

    private func policy(_ rules: String, annotations: String = "{}", kind: String = "ClusterPolicy", namespace: String = "") -> String {
        """
        apiVersion: kyverno.io/v1
        kind: \(kind)
        metadata: {name: checks, \(namespace)annotations: \(annotations)}
        spec:
          validationFailureAction: Enforce
          background: true
          rules:
        \(rules)
        """
    }

    private let nonRoot = """
          - name: non-root
            match: {any: [{resources: {kinds: [Pod]}}]}
            validate:
              message: Pods run as a user other than root.
              cel:
                variables: [{name: user, expression: "object.spec.?securityContext.?runAsUser.orValue(1)"}]
                expressions: [{expression: "variables.user > 0"}]
        """

    /// Each finding as `rule kind/name: message`, sorted, and the evaluation errors.
    private func run(_ policyText: String) -> (findings: [String], errors: [String]) {
        let inventory = inventory(objects)
        let compiled = compile(policyText, inventory: inventory)
        XCTAssertEqual(compiled.errors.map(\.description), [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        let findings = outcome.findings.map { "\($0.ruleID) \($0.resource?.kind ?? "")/\($0.resource?.name ?? ""): \($0.message)" }
        return (findings.sorted(), outcome.diagnostics.map(\.message))
    }

    private func loadErrors(_ policyText: String) -> [String] {
        PolicyLoader().load(Array(policyText.utf8), file: "policy.yaml").errors.map(\.description)
    }

    /// A Pod rule also checks the pod templates of the controllers Kyverno's autogen covers.
    func testAPodRuleChecksPodControllersAsAutogenDoes() {
        let result = run(policy(nonRoot, annotations: "{policies.kyverno.io/severity: high}"))
        XCTAssertEqual(result.findings, [
            "checks/non-root CronJob/root-cron: Pods run as a user other than root.",
            "checks/non-root Deployment/root-deploy: Pods run as a user other than root.",
            "checks/non-root Pod/root: Pods run as a user other than root.",
        ])
        XCTAssertEqual(result.errors, [])
        let loaded = PolicyLoader().load(Array(policy(nonRoot, annotations: "{policies.kyverno.io/severity: high}").utf8), file: "policy.yaml")
        XCTAssertEqual(loaded.policies.map(\.descriptor.severity), [.high])
        XCTAssertEqual(loaded.policies.map(\.descriptor.title), ["ClusterPolicy checks"])

        let onlyDeployments = run(policy(nonRoot, annotations: "{pod-policies.kyverno.io/autogen-controllers: Deployment}"))
        XCTAssertEqual(onlyDeployments.findings.map { String($0.prefix(while: { $0 != ":" })) }, ["checks/non-root Deployment/root-deploy", "checks/non-root Pod/root"])
        let none = run(policy(nonRoot, annotations: "{pod-policies.kyverno.io/autogen-controllers: none}"))
        XCTAssertEqual(none.findings.map { String($0.prefix(while: { $0 != ":" })) }, ["checks/non-root Pod/root"])
    }

    /// Several rules are several airlock rules; exclusions by kind and namespace apply, an exclusion
    /// by user never does (the requester is unknown), and celPreconditions are match conditions.
    func testRulesExclusionsAndPreconditions() {
        let result = run(policy("""
              - name: no-debug
                match: {resources: {kinds: [ConfigMap]}}
                celPreconditions: [{name: has-mode, expression: "has(object.data) && 'mode' in object.data"}]
                validate:
                  cel:
                    expressions: [{expression: "object.data.mode != 'debug'", messageExpression: "'mode ' + object.data.mode"}]
              - name: labelled
                match: {any: [{resources: {kinds: [Pod]}}, {resources: {kinds: [apps/v1/Deployment]}}]}
                exclude: {any: [{resources: {namespaces: [team-b]}}, {clusterRoles: [cluster-admin]}]}
                validate:
                  cel:
                    expressions: [{expression: "has(object.metadata.labels)", message: needs labels}]
            """))
        XCTAssertEqual(result.findings, [
            "checks/labelled Pod/fine: needs labels",
            "checks/no-debug ConfigMap/settings: mode debug",
        ])
        XCTAssertEqual(result.errors, [])
    }

    /// An exclusion leaves out what matches every part of one filter, as Kyverno's does: the Pods
    /// of team-a (not every Pod and every object of team-a), the Pods in team-a under `all`; a
    /// filter that also names the requester, or only other operations than CREATE, leaves out
    /// nothing.
    func testAnExclusionLeavesOutWhatMatchesAllItsParts() {
        let rule = { (exclude: String) in
            self.run(self.policy("""
                  - name: labelled
                    match: {any: [{resources: {kinds: [Pod, ConfigMap]}}, {resources: {kinds: [apps/v1/Deployment]}}]}
                    exclude: \(exclude)
                    validate: {cel: {expressions: [{expression: "has(object.metadata.labels)", message: needs labels}]}}
                """)).findings.map { String($0.prefix(while: { $0 != ":" })) }
        }
        let everyUnlabelled = ["checks/labelled ConfigMap/settings", "checks/labelled Deployment/root-deploy", "checks/labelled Pod/fine"]
        XCTAssertEqual(rule("{any: [{resources: {kinds: [Pod], namespaces: [team-a]}}]}"), Array(everyUnlabelled.prefix(2)))
        XCTAssertEqual(rule("{all: [{resources: {kinds: [Pod]}}, {resources: {namespaces: [team-a]}}]}"), Array(everyUnlabelled.prefix(2)))
        XCTAssertEqual(rule("{all: [{resources: {kinds: [Pod]}}, {resources: {namespaces: [team-b]}}]}"), everyUnlabelled)
        XCTAssertEqual(rule("{any: [{clusterRoles: [cluster-admin], resources: {kinds: [Pod]}}]}"), everyUnlabelled)
        XCTAssertEqual(rule("{clusterRoles: [cluster-admin], resources: {kinds: [Pod]}}"), everyUnlabelled)
        XCTAssertEqual(rule("{any: [{resources: {kinds: [Pod], operations: [DELETE]}}]}"), everyUnlabelled)
        XCTAssertEqual(rule("{any: [{resources: {kinds: [Pod]}}, {resources: {namespaces: [team-b]}}]}"), ["checks/labelled ConfigMap/settings"])
        let loaded = PolicyLoader().load(Array(policy("""
              - name: labelled
                match: {resources: {kinds: [Pod]}}
                exclude: {any: [{resources: {kinds: [Pod], namespaces: [team-a, team-b]}}]}
                validate: {cel: {expressions: [{expression: "true"}]}}
            """).utf8), file: "policy.yaml")
        XCTAssertEqual(loaded.policies.first?.match.scopeSummary, [
            "except: Pod or batch/*/CronJob or apps/*/DaemonSet or apps/*/Deployment or batch/*/Job or apps/*/ReplicaSet or apps/*/StatefulSet or */ReplicationController in team-a or team-b",
        ])
        let nonRootButTeamB = nonRoot.replacingOccurrences(
            of: "validate:", with: "exclude: {any: [{resources: {kinds: [Pod], namespaces: [team-b]}}]}\n    validate:")
        XCTAssertEqual(run(policy(nonRootButTeamB)).findings.map { String($0.prefix(while: { $0 != ":" })) }, [
            "checks/non-root CronJob/root-cron", "checks/non-root Pod/root",
        ])
    }

    /// Kyverno reads `Kind` and `version/Kind` in every API group, so `*/*` and `v1/*` are every
    /// kind (they matched the core group's alone) and `Service` a Knative Service too, and another
    /// pair of parts as a subresource: an error.
    func testAVersionAndKindIsOfEveryGroup() {
        let rule = { (kind: String) in
            self.policy("""
                  - name: labelled
                    match: {any: [{resources: {kinds: ["\(kind)"]}}]}
                    validate: {cel: {expressions: [{expression: "has(object.metadata.labels)", message: needs labels}]}}
                """)
        }
        let unlabelled = [
            "checks/labelled ConfigMap/settings", "checks/labelled CronJob/root-cron", "checks/labelled Deployment/root-deploy",
            "checks/labelled Pod/fine", "checks/labelled Service/hello",
        ]
        XCTAssertEqual(run(rule("*/*")).findings.map { String($0.prefix(while: { $0 != ":" })) }, unlabelled)
        XCTAssertEqual(run(rule("v1/*")).findings.map { String($0.prefix(while: { $0 != ":" })) }, unlabelled)
        XCTAssertEqual(run(rule("Service")).findings.map { String($0.prefix(while: { $0 != ":" })) }, ["checks/labelled Service/hello"])
        XCTAssertEqual(run(rule("*/Deployment")).findings.map { String($0.prefix(while: { $0 != ":" })) }, ["checks/labelled Deployment/root-deploy"])
        XCTAssertEqual(loadErrors(rule("*/status")), [
            "policy.yaml:9:40: spec.rules[].match.any[].resources.kinds: \"*/status\" is not Kind, version/Kind or group/version/Kind",
        ])
        XCTAssertEqual(loadErrors(rule("foo/Bar")), [
            "policy.yaml:9:40: spec.rules[].match.any[].resources.kinds: \"foo/Bar\" is not Kind, version/Kind or group/version/Kind",
        ])
    }

    /// A namespaced Policy checks only the objects of its own namespace.
    func testANamespacedPolicyChecksItsNamespaceOnly() {
        let result = run(policy(nonRoot, kind: "Policy", namespace: "namespace: team-b, "))
        XCTAssertEqual(result.findings, ["checks/non-root Deployment/root-deploy: Pods run as a user other than root."])
    }

    /// Audit annotations are compiled as a ValidatingAdmissionPolicy's: an error in one is reported.
    func testAuditAnnotationsAreCompiled() {
        let text = policy("""
              - name: audited
                match: {resources: {kinds: [Pod]}}
                validate: {cel: {expressions: [{expression: "true"}], auditAnnotations: [{key: user, valueExpression: "object.spec +"}]}}
            """)
        let compiled = compile(text, inventory: inventory(objects))
        XCTAssertEqual(compiled.errors.count, 1)
        XCTAssertEqual(compiled.errors.first?.location?.line, 10)
    }

    /// What airlock cannot honour offline is an error at its place, and the policy does not run.
    func testWhatAirlockCannotHonourIsAnError() {
        let text = policy("""
              - name: pattern
                match: {any: [{resources: {kinds: [Pod], names: [web-*]}}]}
                preconditions: {all: [{key: "{{request.operation}}", operator: Equals, value: CREATE}]}
                validate: {pattern: {metadata: {labels: {app: "?*"}}}}
              - name: by-user
                match: {any: [{subjects: [{kind: User, name: dev}], resources: {kinds: [Pod], namespaces: [team-*]}}]}
                validate: {cel: {paramKind: {apiVersion: v1, kind: ConfigMap}, expressions: [{expression: "true"}]}}
              - name: combined
                match: {any: [{resources: {kinds: [Pod], namespaces: [a]}}, {resources: {kinds: [Service]}}]}
                validate: {cel: {expressions: [{expression: "true"}]}}
              - name: deletions
                match: {resources: {kinds: [Pod/ephemeralcontainers, Pod], operations: [DELETE]}}
                validate: {cel: {expressions: [{expression: "true"}]}}
              - name: mutation
                match: {resources: {kinds: [Pod, apps/Deployment]}}
                mutate: {patchStrategicMerge: {metadata: {labels: {x: y}}}}
            """)
        XCTAssertEqual(loadErrors(text), [
            "policy.yaml:9:53: spec.rules[].match.any[].resources.names is not read by airlock",
            "policy.yaml:10:20: spec.rules[].preconditions (JMESPath) is not read by airlock: write the rule's conditions as celPreconditions",
            "policy.yaml:11:25: spec.rules[].validate.pattern is not read by airlock: it reads validate.cel",
            "policy.yaml:13:30: spec.rules[].match.any[].subjects: airlock checks objects, not who requests them",
            "policy.yaml:13:96: spec.rules[].match.any[].resources.namespaces: \"team-*\": airlock reads no wildcards in namespaces",
            "policy.yaml:14:33: spec.rules[].validate.cel.paramKind: airlock reads no params of Kyverno rules",
            "policy.yaml:16:18: spec.rules[].match.any: airlock reads several filters only as any of filters that name kinds alone",
            "policy.yaml:19:33: spec.rules[].match.resources.kinds: \"Pod/ephemeralcontainers\" is not Kind, version/Kind or group/version/Kind",
            "policy.yaml:19:76: spec.rules[].match.resources.operations: the rule checks only DELETE; airlock checks each object as the API server would on its creation",
            "policy.yaml:22:38: spec.rules[].match.resources.kinds: \"apps/Deployment\" reads as version apps of the core group, which no object has: write apps/*/Deployment",
            "policy.yaml:23:13: spec.rules[].mutate: airlock reads only validate.cel rules",
        ])
    }
}
