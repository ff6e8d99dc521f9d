import AirlockCore
import CEL
import XCTest
import YAMLSource

/// An object that states no namespace is placed in the run's default namespace (`--namespace`),
/// and its CEL view says so in `metadata.namespace`, as the API server fills it in before
/// admission: for `object` and for the objects `resources()` and `resource()` return.
final class AssignedNamespaceTests: XCTestCase {
    private let text = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: alpha, labels: {classification: secret}}
        ---
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: q}
        spec: {hard: {requests.cpu: "1"}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          template:
            spec:
              containers:
              - name: web
                image: registry.local:5000/web:1
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: stated, namespace: bravo}
        spec: {}
        """

    private func inventory(defaultNamespace: String) -> Inventory {
        let loaded = YAMLLoader().load(Array(text.utf8), file: "in.yaml")
        XCTAssertEqual(loaded.errors, [])
        var resources: [Resource] = []
        for document in loaded.documents {
            let decoded = ManifestDecoder(defaultNamespace: defaultNamespace).resources(in: document)
            XCTAssertEqual(decoded.errors, [])
            resources += decoded.resources
        }
        return Inventory(resources)
    }

    private func policy(_ kinds: String, _ validations: String) -> String {
        """
        apiVersion: airlock.dev/v1
        kind: Policy
        metadata: {name: ns}
        spec:
          category: general
          severity: low
          title: t
          match: {kinds: [\(kinds)]}
          validations:
        \(validations)
        """
    }

    private func run(_ policyText: String, defaultNamespace: String) -> [String] {
        let inventory = inventory(defaultNamespace: defaultNamespace)
        let compiled = compile(policyText, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        return outcome.diagnostics.map { "error \($0.message)" }
            + outcome.findings.map { "\($0.resource?.qualifiedName ?? "") \($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }.sorted()
    }

    func testTheObjectReadsTheNamespaceTheRunGaveIt() {
        let findings = run(policy("Deployment", """
              - expression: "false"
                messageExpression: >-
                  object.metadata.namespace + ' ' + string(has(object.metadata.namespace)) + ' ' +
                  string('namespace' in object.metadata) + ' ' + string(size(object.metadata)) + ' ' +
                  string(object.metadata.exists(k, k == 'namespace')) + ' ' + object.metadata.?labels.?app.orValue('-')
            """), defaultNamespace: "alpha")
        XCTAssertEqual(findings, [
            // metadata holds name and labels; namespace is the third key.
            "alpha/Deployment/web 10:1 alpha true true 3 true web",
            // The stated namespace is the object's own: the view adds nothing.
            "bravo/Deployment/stated 22:1 bravo true true 2 true -",
        ])
    }

    func testLookupsReturnObjectsWithTheirAssignedNamespace() {
        let findings = run(policy("Namespace", """
              - expression: >-
                  resources('ResourceQuota', object.metadata.name).all(q, q.metadata.namespace == object.metadata.name) &&
                  resources('ResourceQuota').all(q, q.metadata.namespace == 'alpha') &&
                  resource('ResourceQuota', 'alpha', 'q').metadata.namespace == 'alpha' &&
                  resources('Deployment', 'alpha').map(d, d.metadata.namespace) == ['alpha']
              - expression: "!has(object.metadata.namespace)"
            """), defaultNamespace: "alpha")
        XCTAssertEqual(findings, [])
    }

    func testWithoutANamespaceOptionTheNamespaceIsDefault() {
        let findings = run(policy("ResourceQuota", """
              - expression: "object.metadata.namespace == 'default'"
            """), defaultNamespace: "default")
        XCTAssertEqual(findings, [])
    }

    /// Elements keep their positions; a path through the assigned key stops at the key `metadata`.
    func testPositionsAreTheNodesOwn() {
        let findings = run(policy("Deployment", """
              - forEach: "has(object.spec.template) ? object.spec.template.spec.containers : []"
                as: c
                expression: "c.name != object.metadata.name"
                messageExpression: "'container in ' + object.metadata.namespace"
                path: image
              - expression: "object.metadata.namespace != 'alpha'"
                message: in alpha
                path: metadata.namespace
            """), defaultNamespace: "alpha")
        XCTAssertEqual(findings, [
            "alpha/Deployment/web 12:1 in alpha",
            "alpha/Deployment/web 20:16 container in alpha",
        ])
    }

    /// A policy test case sets the default namespace with `namespace:`, which must not be empty.
    func testPolicyTestCasesNameTheDefaultNamespace() {
        func load(_ namespace: String) -> (tests: [PolicyTest], errors: [Diagnostic]) {
            PolicyTestLoader.load(Array("""
                apiVersion: airlock.dev/v1
                kind: PolicyTest
                metadata: {name: t}
                spec:
                  cases:
                  - name: c
                    namespace: \(namespace)
                    resources: "{}"
                    expect:
                    - {rule: r, resource: Namespace/x, result: pass}
                """.utf8), file: "t.yaml")
        }
        XCTAssertEqual(load("alpha").tests.first?.cases.first?.namespace, "alpha")
        XCTAssertEqual(load("alpha").errors, [])
        XCTAssertEqual(load("\"\"").errors.map(\.message), ["spec.cases[].namespace must be a non-empty string"])
    }
}
