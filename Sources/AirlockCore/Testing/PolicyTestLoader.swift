import YAMLSource

/// Reads `PolicyTest` documents strictly, every error with its position.
public enum PolicyTestLoader {
    public static func load(_ bytes: [UInt8], file: String) -> (tests: [PolicyTest], errors: [Diagnostic]) {
        let loaded = YAMLLoader().load(bytes, file: file)
        var errors = loaded.errors.map(Diagnostic.init(yamlError:))
        var tests: [PolicyTest] = []
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for document in loaded.documents {
            var root = StrictMapping(document.root, path: "")
            guard root.string("apiVersion") == PolicyLoader.apiVersion, root.string("kind") == "PolicyTest" else {
                errors.append(Diagnostic(kind: .policy, message: "not a policy test: expected apiVersion \(PolicyLoader.apiVersion) kind PolicyTest", location: span(document.root)))
                continue
            }
            var metadata = root.mapping("metadata", required: true)
            let name = metadata?.string("name", required: true) ?? ""
            if var meta = metadata { root.absorb(&meta) }
            metadata = nil
            var cases: [PolicyTest.Case] = []
            if var spec = root.mapping("spec", required: true) {
                for node in spec.list("cases") {
                    if let testCase = readCase(node, lines: lines, into: &spec) { cases.append(testCase) }
                }
                root.absorb(&spec)
            }
            let fileErrors = root.finish()
            errors += fileErrors
            if fileErrors.isEmpty { tests.append(PolicyTest(name: name, file: file, cases: cases)) }
        }
        return (tests, errors)
    }

    /// Where a literal block scalar's text starts in the file (`lines`): the line after its `|`,
    /// and the indentation of its first line that is not blank.
    private static func blockStart(of node: YAMLNode?, lines: [ArraySlice<UInt8>]) -> (line: Int, indent: Int)? {
        guard let node, node.kind == .scalar, node.style == .literal else { return nil }
        for line in lines.dropFirst(node.line) {
            let indent = line.prefix { $0 == UInt8(ascii: " ") }.count
            if indent < line.count, line[line.startIndex + indent] != UInt8(ascii: "\r") { return (node.line + 1, indent) }
        }
        return nil
    }

    private static func readCase(_ node: YAMLNode, lines: [ArraySlice<UInt8>], into spec: inout StrictMapping) -> PolicyTest.Case? {
        var reader = StrictMapping(node, path: "spec.cases[]")
        let name = reader.string("name", required: true) ?? ""
        let resourcesNode = reader.field("resources")
        let tier = reader.choice("tier", as: Tier.self)?.rawValue
        let namespace = reader.string("namespace")
        if namespace == "" { reader.report("spec.cases[].namespace must be a non-empty string", at: node) }
        let values = reader.field("values")
        let folder = node.document.file.contains("/") ? String(node.document.file[..<(node.document.file.lastIndex(of: "/") ?? node.document.file.endIndex)]) : "."
        func path(_ key: String) -> String? {
            guard let text = reader.string(key) else { return nil }
            return text.hasPrefix("/") ? text : folder + "/" + text
        }
        let package = path("package")
        let bundle = path("bundle")
        let registry = path("registry")
        let key = path("key")
        let sidecar = reader.string("sidecar")
        var params: [String: YAMLNode] = [:]
        if let paramsNode = reader.field("params") {
            for (policy, entries) in paramsNode.entries { params[policy.text ?? ""] = entries }
        }
        var expectations: [PolicyTest.Expectation] = []
        let expectItems = reader.list("expect")
        for item in expectItems {
            var expect = StrictMapping(item, path: "spec.cases[].expect[]")
            let rule = expect.string("rule", required: true) ?? ""
            let resource = expect.string("resource", required: true) ?? ""
            let verdict = expect.choice("result", as: PolicyTest.Expectation.Verdict.self, required: true)
            let line = expect.positiveInt("line")
            let column = expect.positiveInt("column")
            let message = expect.string("message")
            // A pass has no finding: a place or text given for one would never be checked.
            if verdict == .pass {
                for (key, what) in [("line", "places"), ("column", "places"), ("message", "is the text of")] {
                    guard let given = expect.field(key) else { continue }
                    expect.report(
                        "spec.cases[].expect[].\(key) \(what) a finding or an error, which a pass has none of: expect fail or error, or leave it out", at: given)
                }
            }
            reader.absorb(&expect)
            if let verdict {
                expectations.append(.init(rule: rule, resource: resource, verdict: verdict, line: line, column: column, message: message, location: span(item)))
            }
        }
        if expectItems.isEmpty { reader.report("spec.cases[].expect must list at least one expectation", at: node) }
        spec.absorb(&reader)
        return PolicyTest.Case(
            name: name, resources: resourcesNode?.text ?? "", resourcesStart: blockStart(of: resourcesNode, lines: lines),
            tier: tier, namespace: namespace, values: values, params: params, expectations: expectations, location: span(node),
            package: package, bundle: bundle, registry: registry, key: key, sidecar: sidecar)
    }

    private static func span(_ node: YAMLNode) -> SourceSpan {
        SourceSpan(file: node.document.file, line: node.line, column: node.column)
    }
}
