import AirlockCore
import CEL
import XCTest

/// Kyverno's `resource.List` and `resource.Get` read the inputs, as Kyverno reads the cluster.
final class KyvernoResourceLookupTests: XCTestCase {
    private let inputs = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a}
        ---
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: quota, namespace: team-a}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: registries, namespace: kyverno}
        data: {allowed: "registry.local:5000/"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: team-a}
        spec: {template: {spec: {containers: [{name: web, image: registry.local:5000/web:1.0}]}}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: team-b}
        spec: {template: {spec: {containers: [{name: api, image: docker.io/api:1.0}]}}}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgetries.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {kind: Gadget, plural: gadgetries}
          versions: [{name: v1, served: true, storage: true}]
        ---
        apiVersion: example.com/v1
        kind: Gadget
        metadata: {name: g, namespace: team-a}
        """

    private func kyvernoPolicy(_ validations: String, variables: String = "[]") -> String {
        """
        apiVersion: policies.kyverno.io/v1
        kind: ValidatingPolicy
        metadata: {name: lookups}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
          variables: \(variables)
          validations:
        \(validations)
        """
    }

    private func outcome(_ policy: String) -> (findings: [String], errors: [String]) {
        let inventory = inventory(inputs)
        let compiled = compile(policy, inventory: inventory)
        XCTAssertEqual(compiled.errors.map(\.description), [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        return (outcome.findings.map { "\($0.resource?.name ?? ""): \($0.message)" }.sorted(), outcome.diagnostics.map(\.message).sorted())
    }

    func testListFindsTheObjectsOfAResourceInANamespaceOrInAll() {
        let result = outcome(kyvernoPolicy("""
              - expression: "resource.List('v1', 'resourcequotas', object.metadata.namespace).items.size() > 0"
                messageExpression: "'no quota in ' + object.metadata.namespace"
              - expression: "resource.List('apps/v1', 'deployments', '').items.size() == 2"
              - expression: "resource.List('apps/v1beta2', 'deployments', 'team-a').items.map(d, d.metadata.name) == ['web']"
              - expression: "resource.List('example.com/v1', 'gadgetries', '').items.size() == 1 && resource.List('example.com/v1', 'gadgets', '').items.size() == 0"
              - expression: "resource.List('extensions/v1beta1', 'deployments', '').items.size() == 0 && resource.List('v1', 'configmaps', 'team-a').items == []"
              - expression: "resource.List('v1', 'namespaces', '').items.map(n, n.metadata.name) == ['team-a'] && resource.List('v1', 'resourcequotas', '').apiVersion == 'v1'"
            """))
        XCTAssertEqual(result.findings, ["api: no quota in team-b"])
        XCTAssertEqual(result.errors, [])
    }

    func testGetReadsOneObjectAndAMissingOneIsAnError() {
        let result = outcome(kyvernoPolicy("""
              - expression: "object.spec.template.spec.containers.all(c, c.image.startsWith(variables.allowed))"
                messageExpression: "'image from outside ' + variables.allowed"
              - expression: "resource.Get('apps/v1', 'deployments', 'team-a', 'web').metadata.name == 'web' && resource.Get('v1', 'namespaces', '', 'team-a').kind == 'Namespace'"
              - expression: "object.metadata.name != 'api' || resource.Get('v1', 'configmaps', 'team-b', 'settings').data.x == 'y'"
            """, variables: "[{name: allowed, expression: \"resource.Get('v1', 'configmaps', 'kyverno', 'registries').data.allowed\"}]"))
        XCTAssertEqual(result.findings, ["api: image from outside registry.local:5000/"])
        XCTAssertEqual(result.errors, ["lookups: validations[2]: configmaps \"settings\" not found in namespace team-b among the inputs"])
    }

    /// An apiVersion the API server serves nothing at (a group without its version, read as the
    /// core group, found nothing) is an error, as Kyverno's lookup fails on it, not a pass.
    func testAnAPIVersionWithoutItsVersionIsAnError() {
        let result = outcome(kyvernoPolicy("""
              - expression: "resource.List('apps', 'deployments', '').items.size() == 0"
              - expression: "resource.Get('apps/v1/x', 'deployments', 'team-a', 'web') != null"
              - expression: "resource.List('v1', 'namespaces', '').items.size() == 1"
            """))
        XCTAssertEqual(result.findings, [])
        XCTAssertEqual(result.errors, [
            "lookups: validations[0]: resource.List(): \"apps\" is no apiVersion the API server serves: write group/version (apps/v1), or v1 for the core group",
            "lookups: validations[0]: resource.List(): \"apps\" is no apiVersion the API server serves: write group/version (apps/v1), or v1 for the core group",
            "lookups: validations[1]: resource.Get(): \"apps/v1/x\" is no apiVersion the API server serves: write group/version (apps/v1), or v1 for the core group",
            "lookups: validations[1]: resource.Get(): \"apps/v1/x\" is no apiVersion the API server serves: write group/version (apps/v1), or v1 for the core group",
        ])
    }

    /// A function of Kyverno's resource library that airlock does not provide is an error at the
    /// call that names the ones it does, not an undeclared `resource`.
    func testAnUnprovidedFunctionOfTheLibraryIsNamedAtTheCall() {
        let compiled = compile(kyvernoPolicy("""
              - expression: "resource.Post('v1', 'subjectaccessreviews', {}) != null"
            """), inventory: inventory(inputs))
        XCTAssertEqual(compiled.errors.map(\.message), [
            "lookups: undeclared reference to 'resource.Post' (unknown function; resource has resource.Get, resource.List)",
        ])
    }
}
