@testable import AirlockCore
import CEL
import XCTest

/// `networkPolicyTypes(object)` gives a NetworkPolicy's types as Kubernetes defaults them: an
/// absent, null or empty `policyTypes` is `[Ingress]`, plus `Egress` when the policy has egress
/// rules; a non-empty list is as written.
final class NetworkPolicyTypesTests: XCTestCase {
    func testTypesAsKubernetesDefaultsThem() throws {
        let cases: [(spec: String?, types: [String])] = [
            (nil, ["Ingress"]),
            ("null", ["Ingress"]),
            ("{}", ["Ingress"]),
            ("{podSelector: {}}", ["Ingress"]),
            ("{egress: [{}]}", ["Ingress", "Egress"]),
            ("{egress: [null]}", ["Ingress", "Egress"]),
            ("{egress: []}", ["Ingress"]),
            ("{egress: null}", ["Ingress"]),
            ("{policyTypes: null, egress: [{to: []}]}", ["Ingress", "Egress"]),
            ("{policyTypes: [], egress: [{}]}", ["Ingress", "Egress"]),
            ("{policyTypes: []}", ["Ingress"]),
            ("{policyTypes: ~, ingress: [{}]}", ["Ingress"]),
            ("{policyTypes: [Egress]}", ["Egress"]),
            ("{policyTypes: [Ingress], egress: [{}]}", ["Ingress"]),
            ("{policyTypes: [Egress, Ingress]}", ["Egress", "Ingress"]),
            // Given types are taken as written: the egress rules are not read then.
            ("{policyTypes: [Egress], egress: {to: []}}", ["Egress"]),
            // Unknown types, and types in another case, are kept as written (and match neither).
            ("{policyTypes: [Foo], egress: [{}]}", ["Foo"]),
            ("{policyTypes: [egress, INGRESS]}", ["egress", "INGRESS"]),
        ]
        for (spec, expected) in cases {
            XCTAssertEqual(strings(NetworkPolicyTypes.types(of: try networkPolicy(spec: spec))), expected, spec ?? "no spec")
        }
    }

    /// Items that are no string are kept too, so that `'Egress' in ...` reads them as before.
    func testItemsThatAreNoStringAreKept() throws {
        XCTAssertEqual(strings(NetworkPolicyTypes.types(of: try networkPolicy(spec: "{policyTypes: [1, Egress]}"))), ["?", "Egress"])
    }

    /// A shape Kubernetes would refuse is an error at the field, not a guess.
    func testShapesKubernetesRefusesAreErrors() throws {
        let cases: [(spec: String, message: String)] = [
            ("just-text", "a NetworkPolicy's spec is a string, not a mapping"),
            ("{policyTypes: Egress}", "a NetworkPolicy's spec.policyTypes is a string, not a list"),
            ("{policyTypes: {Egress: true}}", "a NetworkPolicy's spec.policyTypes is a map, not a list"),
            ("{egress: {to: []}}", "a NetworkPolicy's spec.egress is a map, not a list"),
            ("{policyTypes: [], egress: 1}", "a NetworkPolicy's spec.egress is a int, not a list"),
        ]
        for (spec, message) in cases {
            guard case .error(let error) = NetworkPolicyTypes.types(of: try networkPolicy(spec: spec)) else {
                XCTFail("an error for \(spec)")
                continue
            }
            XCTAssertEqual(error.message, message, spec)
        }
        guard case .error(let error) = NetworkPolicyTypes.types(of: .null) else { return XCTFail("an error for null") }
        XCTAssertEqual(error.message, "networkPolicyTypes(object) takes an object, not a null_type")
    }

    /// The function is registered for policies, and `in` reads its result.
    func testPoliciesCallIt() throws {
        let object = try networkPolicy(spec: "{policyTypes: [], egress: [{}]}")
        let program = try CELEnvironment(declaredVariables: ["object"], functions: FactFunctions.all)
            .compile("'Egress' in networkPolicyTypes(object) && 'Ingress' in networkPolicyTypes(object)")
        guard case .bool(let both) = program.evaluate(["object": object]) else { return XCTFail("a bool") }
        XCTAssertTrue(both)
    }

    private func networkPolicy(spec: String?) throws -> CELValue {
        let objects = inventory("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: np, namespace: team-a}
            \(spec.map { "spec: " + $0 } ?? "")
            """)
        return CELValue(resource: try XCTUnwrap(objects.resources.first))
    }

    /// The strings of a list (`?` for another element), nil for another value.
    private func strings(_ value: CELValue) -> [String]? {
        guard case .list(let list) = value else { return nil }
        return (0..<list.count).map { index in
            if case .string(let text) = list[index] { return text }
            return "?"
        }
    }
}
