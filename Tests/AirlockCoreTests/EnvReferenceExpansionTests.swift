@testable import AirlockCore
import CEL
import XCTest

/// `$(NAME)` expansion as the kubelet does it (Kubernetes' third_party/forked/golang/expansion).
final class EnvReferenceExpansionTests: XCTestCase {
    /// A text without a `$` is its own expansion; one with a `$` anywhere may hold a reference.
    func testTextsWithoutDollarSignAreNotExpanded() {
        for text in ["", "http://inference:8000", "caf\u{E9}", String(repeating: "a", count: 100)] {
            XCTAssertFalse(EnvReferenceExpansion.mayHoldReference(text), text)
        }
        for text in ["$", "$(A)", "caf\u{E9}$", String(repeating: "a", count: 100) + "$"] {
            XCTAssertTrue(EnvReferenceExpansion.mayHoldReference(text), text)
        }
    }

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
            strings(WorkloadFunctions.containerEnvValues(of: object, configMaps: ConfigMapValues(inventory: objects))),
            // PORT's empty value beside a Secret's valueFrom gives way to it: not known, so no value.
            ["api.example", "https://api.example/$(HOST)", "8080", "", "localhost:8080", "$(PORT)|$((|$(", "init.example"])
        guard case .list(let entries) = WorkloadFunctions.containerEnv(of: object, configMaps: ConfigMapValues(inventory: objects)) else { return XCTFail("a list") }
        let url = entries[1]
        XCTAssertEqual(strings(.list(CELList([url.child("expandedValue") ?? .null]))), ["https://api.example/$(HOST)"])
        XCTAssertEqual(url.positioned?.position(ofKey: .string("expandedValue")), SourceSpan(file: "in.yaml", line: 13, column: 26))
        XCTAssertNil(entries[4].child("expandedValue"))
    }

    /// ConfigMaps among the inputs give values as the kubelet sets them: `envFrom` keys first
    /// (behind their prefix, a later source's key replacing an earlier one's, none that an env
    /// entry defines again), then the env entries, a `configMapKeyRef` giving the key's value
    /// unexpanded; `$(NAME)` reads both. ConfigMaps of other namespaces, missing keys and Secrets
    /// give nothing.
    func testConfigMapsAmongTheInputsGiveEnvironmentValues() throws {
        let objects = inventory("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: urls, namespace: a}
            data: {API: "https://api.example", PORT: 8080, RAW: "$(API)"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: more, namespace: a}
            data: {API: "http://inference.a.svc"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: elsewhere, namespace: b}
            data: {X: "https://b.example"}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: a}
            spec:
              containers:
              - name: app
                envFrom:
                - configMapRef: {name: elsewhere}
                - secretRef: {name: s}
                - configMapRef: {name: urls}
                - configMapRef: {name: more}
                - {prefix: U_, configMapRef: {name: urls}}
                env:
                - {name: PORT, value: "9090"}
                - name: RAW_FROM_KEY
                  valueFrom: {configMapKeyRef: {name: urls, key: RAW}}
                - {name: URL, value: "$(API):$(U_PORT)/$(RAW_FROM_KEY)"}
                - name: MISSING
                  valueFrom: {configMapKeyRef: {name: urls, key: NONE}}

            """)
        let object = CELValue(resource: try XCTUnwrap(objects.resources.last))
        let configMaps = ConfigMapValues(inventory: objects)
        XCTAssertEqual(
            strings(WorkloadFunctions.containerEnvValues(of: object, configMaps: configMaps)),
            ["http://inference.a.svc", "$(API)", "https://api.example", "8080", "$(API)", "9090", "$(API)", "http://inference.a.svc:8080/$(API)"])
        // An entry whose keys are not known (a Secret) may define any of the names before it again.
        let second = inventory("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: urls, namespace: a}
            data: {API: "http://inference.a.svc"}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: a}
            spec:
              containers:
              - name: app
                envFrom: [{configMapRef: {name: urls}}, {secretRef: {name: s}}]
                env: [{name: URL, value: "$(API)/v1"}]

            """)
        let overridden = CELValue(resource: try XCTUnwrap(second.resources.last))
        XCTAssertEqual(strings(WorkloadFunctions.containerEnvValues(of: overridden, configMaps: ConfigMapValues(inventory: second))), ["$(API)/v1"])
        guard case .list(let entries) = WorkloadFunctions.containerEnv(of: object, configMaps: configMaps) else { return XCTFail("a list") }
        XCTAssertEqual(strings(.list(CELList((0..<entries.count).map { entries[$0].child("name") ?? .null }))),
                       ["API", "RAW", "U_API", "U_PORT", "U_RAW", "PORT", "RAW_FROM_KEY", "URL", "MISSING"])
        let api = entries[0]
        XCTAssertEqual(strings(.list(CELList([api.child("configMap")?.child("name") ?? .null, api.child("configMap")?.child("key") ?? .null]))), ["more", "API"])
        // At the envFrom entry the value was last read from.
        XCTAssertEqual(api.positioned?.position, SourceSpan(file: "in.yaml", line: 26, column: 7))
        let fromKey = entries[6]
        XCTAssertEqual(fromKey.positioned?.position(ofKey: .string("expandedValue")), SourceSpan(file: "in.yaml", line: 31, column: 18))
        XCTAssertNil(entries[5].child("configMap"))
        XCTAssertNil(entries[8].child("expandedValue"))
    }

    /// A `fieldRef` to a label or annotation of the pod template gives its value, as the kubelet
    /// sets it (a CronJob's pods take their job template's pod template); one the template does
    /// not state, and other fields, stay unknown.
    func testLabelsAndAnnotationsOfThePodTemplateGiveValues() throws {
        let objects = inventory("""
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: j, namespace: a, annotations: {url: "https://object.example"}}
            spec:
              jobTemplate:
                spec:
                  template:
                    metadata:
                      labels: {tier: "1"}
                      annotations: {url: "https://pod.example"}
                    spec:
                      containers:
                      - name: app
                        env:
                        - {name: URL, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['url']"}}}
                        - {name: TIER, valueFrom: {fieldRef: {fieldPath: "metadata.labels['tier']"}}}
                        - {name: NONE, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['none']"}}}
                        - {name: NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                        - {name: BOTH, value: "$(URL)/$(NAME)"}

            """)
        let object = CELValue(resource: try XCTUnwrap(objects.resources.first))
        let configMaps = ConfigMapValues(inventory: objects)
        XCTAssertEqual(strings(WorkloadFunctions.containerEnvValues(of: object, configMaps: configMaps)), ["https://pod.example", "1", "https://pod.example/$(NAME)"])
        guard case .list(let entries) = WorkloadFunctions.containerEnv(of: object, configMaps: configMaps) else { return XCTFail("a list") }
        XCTAssertEqual(entries[0].positioned?.position(ofKey: .string("expandedValue")), SourceSpan(file: "in.yaml", line: 15, column: 38))
    }

    /// `containerArgs` expands each container's command and args as the kubelet does: with every
    /// variable of that container's environment (those defined after too, those of ConfigMaps
    /// among the inputs), `$$` as `$`, and a variable the inputs do not give as written;
    /// `containerArgEntries` gives the same at each argument's place.
    func testContainerArgsExpandWithTheWholeEnvironmentOfTheirContainer() throws {
        let objects = inventory("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: hosts, namespace: a}
            data: {DB: db.example}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d, namespace: a}
            spec:
              template:
                spec:
                  containers:
                  - name: app
                    command: [run, "--db=$(DB)", 7]
                    args: ["--api=https://$(API)/$(SECRET)", "$$(API)", "--ns=$(NS)"]
                    envFrom: [{configMapRef: {name: hosts}}]
                    env:
                    - name: SECRET
                      valueFrom: {secretKeyRef: {name: s, key: k}}
                    - {name: API, value: api.example}
                    - name: NS
                      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
                  - name: other
                    args: ["$(API)"]

            """)
        let object = CELValue(resource: try XCTUnwrap(objects.resources.last))
        let configMaps = ConfigMapValues(inventory: objects)
        XCTAssertEqual(
            strings(WorkloadFunctions.containerArgs(of: object, configMaps: configMaps)),
            ["run", "--db=db.example", "--api=https://api.example/$(SECRET)", "$(API)", "--ns=a", "$(API)"])
        guard case .list(let entries) = WorkloadFunctions.containerArgEntries(of: object, configMaps: configMaps) else { return XCTFail("a list") }
        XCTAssertEqual(entries.count, 6)
        let api = entries[2]
        XCTAssertEqual(strings(.list(CELList(["container", "field", "value", "expandedValue"].map { api.child($0) ?? .null }))),
                       ["app", "args", "--api=https://$(API)/$(SECRET)", "--api=https://api.example/$(SECRET)"])
        XCTAssertEqual(api.positioned?.position(ofKey: .string("expandedValue")), SourceSpan(file: "in.yaml", line: 15, column: 16))
        XCTAssertEqual(api.positioned?.position(ofKey: .string("container")), SourceSpan(file: "in.yaml", line: 13, column: 15))
        // `previous` is the expanded argument before each in its container's command and args (the
        // flag whose value it is): across command and args, past an item that is no string, and
        // null at the first argument of each container.
        let previous = (0..<entries.count).map { index -> String in
            switch entries[index].child("previous") {
            case .string(let text)?: return text
            case .null?: return "null"
            default: return "absent or not a string"
            }
        }
        XCTAssertEqual(previous, ["null", "run", "--db=db.example", "--api=https://api.example/$(SECRET)", "$(API)", "null"])
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
        guard case .error(let error) = WorkloadFunctions.containerEnvValues(of: object, configMaps: ConfigMapValues(inventory: objects)) else {
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
