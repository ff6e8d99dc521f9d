@testable import AirlockCore
import CEL
import XCTest

/// `$(NAME)` expansion as the kubelet does it (Kubernetes' third_party/forked/golang/expansion).
final class EnvReferenceExpansionTests: XCTestCase {
    func testExpansionFollowsTheKubelet() {
        var expansion = EnvReferenceExpansion()
        expansion.define("A", value: "x", fieldPath: nil)
        expansion.define("EMPTY", value: "", fieldPath: nil)
        let expected: [(String, String)] = [
            ("plain", "plain"),
            ("$(A)", "x"),
            ("$(A)$(A)-$(EMPTY)|", "xx-|"),
            ("$$(A)", "$(A)"),
            ("$$$(A)", "$x"),
            ("$(B)", "$(B)"),
            ("$()", "$()"),
            ("$(A", "$(A"),
            ("a$b", "a$b"),
            ("$", "$"),
            ("a$", "a$"),
            ("$$", "$"),
            ("é$(A)ü", "éxü"),
            ("$é", "$é"),
            ("$((A))", "$((A))"),
        ]
        for (input, output) in expected {
            XCTAssertEqual(expansion.expand(input), output, input)
        }
    }

    func testDefinitionsAreInOrderAndValueFromIsUnknownButThePodsAddress() {
        var expansion = EnvReferenceExpansion()
        expansion.define("HOST_IP", value: nil, fieldPath: "status.hostIP")
        expansion.define("SECRET", value: nil, fieldPath: nil)
        XCTAssertEqual(expansion.expand("http://$(HOST_IP):4317/$(SECRET)"), "http://localhost:4317/$(SECRET)")
        expansion.define("HOST_IP", value: "10.0.0.1", fieldPath: nil)
        XCTAssertEqual(expansion.expand("$(HOST_IP)"), "10.0.0.1")
        expansion.define("HOST_IP", value: nil, fieldPath: "metadata.name")
        XCTAssertEqual(expansion.expand("$(HOST_IP)"), "$(HOST_IP)")
    }

    /// `containerEnvValues` expands each container's values with that container's earlier
    /// variables only, and `containerEnv` gives the same as `expandedValue` at the value's place.
    func testContainerEnvValuesExpandPerContainer() throws {
        let objects = inventory("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: a}
            spec:
              initContainers:
              - name: init
                env:
                - {name: H, value: init.example}
              containers:
              - name: app
                env:
                - {name: H, value: api.example}
                - {name: URL, value: "https://$(H)/$(HOST)"}
                - {name: PORT, value: 8080}
                - {name: NULL_VALUE, value: null}
                - name: HOST
                  valueFrom: {fieldRef: {fieldPath: status.podIP}}
                - {name: LATER, value: "$(HOST):$(PORT)"}
                - {name: PORT, value: "", valueFrom: {secretKeyRef: {name: s, key: port}}}
                - {name: EMPTY_BESIDE_VALUE_FROM, value: "$(PORT)|$((|$("}

            """)
        let object = CELValue(resource: try XCTUnwrap(objects.resources.first))
        XCTAssertEqual(
            strings(WorkloadFunctions.containerEnvValues(of: object)),
            ["api.example", "https://api.example/$(HOST)", "8080", "", "localhost:8080", "", "$(PORT)|$((|$(", "init.example"])
        guard case .list(let entries) = WorkloadFunctions.containerEnv(of: object) else { return XCTFail("a list") }
        let url = entries[1]
        XCTAssertEqual(strings(.list(CELList([url.child("expandedValue") ?? .null]))), ["https://api.example/$(HOST)"])
        XCTAssertEqual(url.positioned?.position(ofKey: .string("expandedValue")), SourceSpan(file: "in.yaml", line: 13, column: 26))
        XCTAssertNil(entries[4].child("expandedValue"))
    }

    /// The strings of a list (`?` for another element), nil for another value.
    private func strings(_ value: CELValue) -> [String]? {
        guard case .list(let list) = value else { return nil }
        return (0..<list.count).map { index in
            if case .string(let text) = list[index] { return text }
            return "?"
        }
    }

    func testAValueThatIsACollectionIsAnError() throws {
        let objects = inventory("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: a}
            spec:
              containers:
              - name: app
                env: [{name: A, value: {nested: 1}}]

            """)
        let object = CELValue(resource: try XCTUnwrap(objects.resources.first))
        guard case .error(let error) = WorkloadFunctions.containerEnvValues(of: object) else { return XCTFail("an error") }
        XCTAssertEqual(error.message, "an env entry's value is a map, not a string")
    }
}
