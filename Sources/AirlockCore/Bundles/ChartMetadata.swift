import YAMLSource

/// The checks Helm's loader makes of every chart it loads, the subcharts in its `charts/`
/// included (`Metadata.Validate` in helm/pkg/chart): a chart that fails one is refused, and so is
/// the chart holding it, so `helm install` installs nothing.
enum ChartMetadata {
    /// Why Helm refuses the chart whose Chart.yaml is `root`, in Helm's words; nil when it loads it.
    static func problem(of root: YAMLNode) -> String? {
        guard root.kind == .mapping else { return "chart.metadata is required (Chart.yaml is not a mapping)" }
        func text(_ key: String) -> String { EmbeddedYAML.text(root[key]) ?? "" }
        if text("apiVersion").isEmpty { return "chart.metadata.apiVersion is required" }
        let name = text("name")
        if name.isEmpty { return "chart.metadata.name is required" }
        if name.contains("/") || name.contains("\\") || name == "." || name == ".." { return "chart.metadata.name \"\(name)\" is invalid" }
        let version = text("version")
        if version.isEmpty { return "chart.metadata.version is required" }
        if !isLenientSemver(version) { return "chart.metadata.version \"\(version)\" is invalid" }
        if !["", "application", "library"].contains(text("type")) { return "chart.metadata.type must be application or library" }
        return dependencyProblem(root["dependencies"])
    }

    /// A dependency whose alias holds characters Helm refuses, or a name or alias given twice.
    private static func dependencyProblem(_ node: YAMLNode?) -> String? {
        guard let node, node.kind == .sequence else { return nil }
        var seen: Set<String> = []
        for item in node.items where item.kind == .mapping {
            let alias = EmbeddedYAML.text(item["alias"]) ?? ""
            if !alias.isEmpty, !alias.utf8.allSatisfy(isIdentifierByte) {
                return "dependency \"\(EmbeddedYAML.text(item["name"]) ?? "")\" has disallowed characters in the alias"
            }
            let key = alias.isEmpty ? EmbeddedYAML.text(item["name"]) ?? "" : alias
            if !seen.insert(key).inserted { return "more than one dependency with name or alias \"\(key)\"" }
        }
        return nil
    }

    /// Whether `text` is a version as Helm's semver library reads one leniently (`NewVersion`):
    /// an optional `v`, one to three numbers joined by dots, then an optional `-` pre-release and
    /// `+` build, each dot-separated identifiers of letters, digits and `-`.
    static func isLenientSemver(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "v" { rest = rest.dropFirst() }
        let core = rest.prefix { $0 != "-" && $0 != "+" }
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(numbers.count), numbers.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (48...57).contains($0) } }) else { return false }
        rest = rest.dropFirst(core.count)
        for marker: Character in ["-", "+"] where rest.first == marker {
            let part = rest.dropFirst().prefix { marker == "-" ? $0 != "+" : true }
            guard part.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isIdentifierByte) })
            else { return false }
            rest = rest.dropFirst(part.count + 1)
        }
        return rest.isEmpty
    }

    /// A letter, digit or `-`: what Helm allows in an alias and in a version's identifiers.
    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == UInt8(ascii: "-")
    }
}
