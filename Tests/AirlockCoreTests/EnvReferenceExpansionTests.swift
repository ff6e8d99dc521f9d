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
        // The pod's namespace is the one its object states, and unknown when it states none.
        expansion.define("NS", value: nil, fieldPath: "metadata.namespace")
        XCTAssertEqual(expansion.expand("db.$(NS)"), "db.$(NS)")
        var stated = EnvReferenceExpansion(podNamespace: "shop")
        stated.define("NS", value: nil, fieldPath: "metadata.namespace")
        XCTAssertEqual(stated.expand("http://db.$(NS):5432"), "http://db.shop:5432")
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

    /// A variable written twice in the next one doubles at every step: the expansion stops at a
    /// megabyte with an error at the value, where a few hundred bytes of YAML asked for gigabytes.
    func testExpansionThatDoublesStopsAtItsLimit() throws {
        var entries = ["{name: V0, value: \"\(String(repeating: "x", count: 64))\"}"]
        for step in 1...20 { entries.append("{name: V\(step), value: \"$(V\(step - 1))$(V\(step - 1))\"}") }
        let error = try envValuesError(entries)
        XCTAssertEqual(error.message, "the $(NAME) references of this container's environment values expand to more than 1 MiB; airlock stops there")
        // The references of V1 to V13 expand to 64 * (2^14 - 2) bytes, just under 1 MiB; V14's
        // to 1 MiB more.
        XCTAssertEqual(error.map?.positioned?.position(ofKey: .string("value"))?.line, 22)
    }

    func testAValueThatIsACollectionIsAnError() throws {
        XCTAssertEqual(try envValuesError(["{name: A, value: {nested: 1}}"]).message, "an env entry's value is a map, not a string")
    }

    /// The error `containerEnvValues` gives for a Pod with one container whose env entries are
    /// `entries` (flow mappings, one per line from line 8).
    private func envValuesError(_ entries: [String], file: StaticString = #filePath, line: UInt = #line) throws -> CELEvalError {
        let objects = inventory("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: a}
            spec:
              containers:
              - name: app
                env:
            \(entries.map { "      - " + $0 }.joined(separator: "\n"))

            """)
        let object = CELValue(resource: try XCTUnwrap(objects.resources.first))
        guard case .error(let error) = WorkloadFunctions.containerEnvValues(of: object) else {
            XCTFail("an error", file: file, line: line)
            throw CancellationError()
        }
        return error
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
