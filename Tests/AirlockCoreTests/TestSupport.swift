import AirlockCore
import CEL
import XCTest
import YAMLSource

/// Loads a YAML stream of resources into an inventory, failing the test on any input error.
func inventory(_ text: String, file: String = "in.yaml", sourceLocation: (StaticString, UInt) = (#filePath, #line)) -> Inventory {
    let loaded = YAMLLoader().load(Array(text.utf8), file: file)
    XCTAssertEqual(loaded.errors, [], file: sourceLocation.0, line: sourceLocation.1)
    var resources: [Resource] = []
    for document in loaded.documents {
        let decoded = ManifestDecoder().resources(in: document)
        XCTAssertEqual(decoded.errors, [], file: sourceLocation.0, line: sourceLocation.1)
        resources += decoded.resources
    }
    // As a run builds it: CustomResourceDefinitions among the objects give their kinds' scope and
    // plural. (Objects defined twice are errors of a run; some tests shadow one on purpose.)
    return CrossDocumentChecks.inventory(of: resources).inventory
}

/// Loads policies from text and compiles them against `inventory`.
func compile(_ policyText: String, inventory: Inventory, file: String = "policy.yaml") -> (policies: [CompiledPolicy], errors: [Diagnostic]) {
    let loaded = PolicyLoader().load(Array(policyText.utf8), file: file)
    var errors = loaded.errors
    var compiled: [CompiledPolicy] = []
    let compiler = PolicyCompiler(inventory: inventory)
    for policy in loaded.policies {
        switch ParamOverrides().params(for: policy) {
        case .failure(let error): errors.append(error)
        case .success(let params):
            switch compiler.compile(policy, params: params) {
            case .success(let program): compiled.append(program)
            case .failure(let list): errors += list.diagnostics
            }
        }
    }
    return (compiled, errors)
}

/// The package root, for reading ../shared at test time.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let sharedFolder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
