@testable import AirlockCore
import XCTest

/// Several policies of the built-in pack define some variables alike on purpose: the public-host
/// test of the egress rules, the containers' environment values, the containers. Identical text
/// is evaluated once per object however many policies define it, and a fix to one copy must reach
/// the others, so the copies must not drift apart.
final class AlikeDefinitionsTests: XCTestCase {
    func testVariablesDefinedAlikeStayAlike() {
        let loaded = PolicySource.load(paths: [], includeBuiltin: true)
        XCTAssertEqual(loaded.errors, [])
        let expected = [
            "publicEndpoints": ["kagent-classified-controls", "no-external-model-endpoints", "no-external-sources"],
            "internalNetworks": ["kagent-classified-controls", "no-external-model-endpoints", "no-external-sources"],
            "envValues": ["cross-level-reference", "kagent-classified-controls", "no-external-model-endpoints"],
            "args": ["cross-level-reference", "image-registry-allowed", "kagent-classified-controls", "no-external-model-endpoints"],
            "containers": ["container-no-host-port", "container-resources-for-quota", "image-pinned", "image-registry-allowed", "quantities-valid"],
        ]
        for (name, policies) in expected {
            let definitions = loaded.policies.flatMap { policy in
                policy.variables.filter { $0.name == name }.map { (policy: policy.id, text: $0.expression.source) }
            }
            XCTAssertEqual(definitions.map(\.policy).sorted(), policies, name)
            XCTAssertEqual(Set(definitions.map(\.text)).count, 1, "\(name) is defined differently in \(definitions.map(\.policy))")
        }
    }
}
