import AirlockCore
import XCTest

/// `matchesEveryObjectOfItsKinds(tier:)` lets the engine skip `matchesBeyondKind` for each
/// object: it must be true only when that would be true for every object of the policy's kinds.
final class MatchByKindTests: XCTestCase {
    private let objects = inventory("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a, labels: {team: a}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: team-a, labels: {app: web}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: other, namespace: team-b}
        """)

    private func policy(match: String) throws -> Policy {
        let text = """
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: p}
            spec:
              category: quota
              severity: low
              title: t
              match:
            \(match.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
              validations:
              - expression: "true"
            """
        let loaded = PolicyLoader().load(Array(text.utf8), file: "policy.yaml")
        XCTAssertEqual(loaded.errors, [])
        return try XCTUnwrap(loaded.policies.first)
    }

    /// Whether `policy` matches each ConfigMap at `tier`, as the engine asks.
    private func matches(_ policy: Policy, tier: String?) -> [Bool] {
        objects.resources.filter { $0.kind == "ConfigMap" }.map { resource in
            policy.matchesBeyondKind(resource, namespaceObject: objects.namespaceObject(of: resource), tier: tier, plural: { "configmaps" })
        }
    }

    func testKindsAloneMatchEveryObjectAtAnyTier() throws {
        let policy = try policy(match: "kinds: [ConfigMap]")
        for tier in [nil, "edge"] {
            XCTAssertTrue(policy.matchesEveryObjectOfItsKinds(tier: tier))
            XCTAssertEqual(matches(policy, tier: tier), [true, true])
        }
    }

    func testTiersMatchEveryObjectOnlyAtOneOfThem() throws {
        let policy = try policy(match: "kinds: [ConfigMap]\ntiers: [edge]")
        XCTAssertTrue(policy.matchesEveryObjectOfItsKinds(tier: "edge"))
        XCTAssertFalse(policy.matchesEveryObjectOfItsKinds(tier: "datacenter"))
        XCTAssertFalse(policy.matchesEveryObjectOfItsKinds(tier: nil))
        XCTAssertEqual(matches(policy, tier: "datacenter"), [false, false])
    }

    /// Each criterion that reads the object makes the engine ask for each one.
    func testCriteriaThatReadTheObjectAreAskedForEachObject() throws {
        let criteria = [
            "namespaces: [team-a]",
            "excludeNamespaces: [team-b]",
            "namespaceSelector: {matchLabels: {team: a}}",
            "objectSelector: {matchLabels: {app: web}}",
        ]
        for criterion in criteria {
            let policy = try policy(match: "kinds: [ConfigMap]\n" + criterion)
            XCTAssertFalse(policy.matchesEveryObjectOfItsKinds(tier: nil), criterion)
            XCTAssertEqual(matches(policy, tier: nil), [true, false], criterion)
        }
    }
}
