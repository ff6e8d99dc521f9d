import AirlockCore
import ArgumentParser
import Foundation
import YAMLSource

/// How strictly to read the inputs. Each command declares its own paths (manifests, packages or
/// bundles), so that its help says which.
struct InputOptions: ParsableArguments {
    /// The help of a command's paths when they are manifests.
    static let manifestPathsHelp: ArgumentHelp = "Files, directories (searched for *.yaml, *.yml, *.json) or - for standard input."

    @Option(help: "Namespace of namespaced objects that state none (a DNS-1123 label, as Kubernetes requires of namespace names).")
    var namespace = "default"

    @Flag(help: "Accept inputs that hold no resource at all (by default that fails: an empty render must not pass).")
    var allowEmpty = false

    @Option(help: "Largest input file (manifests, values) in bytes.")
    var maxInputBytes = YAMLLimits().maxInputBytes

    @Option(help: "Largest single YAML document in bytes.")
    var maxDocumentBytes = YAMLLimits().maxDocumentBytes

    @Option(help: "Deepest nesting of YAML collections (at most \(Self.depthCeiling)).")
    var maxDepth = YAMLLimits().maxDepth

    /// Highest `--max-depth` accepted. Evaluation recurses once per level (value conversion,
    /// equality) on worker threads with small stacks; far deeper documents overflowed the stack
    /// (SIGSEGV with a policy comparing whole objects at ~7,000 levels in debug builds, 4,096
    /// under AddressSanitizer, ~50,000 in release). 2,048 keeps a wide margin.
    static let depthCeiling = 2048

    func validate() throws {
        guard FactFunctions.isDNSLabel(namespace) else {
            throw ValidationError("--namespace \"\(namespace)\" is not a namespace name: 1 to 63 lower-case letters, digits and -, starting and ending with a letter or digit")
        }
        guard (1...Self.depthCeiling).contains(maxDepth) else {
            throw ValidationError("--max-depth must be between 1 and \(Self.depthCeiling), got \(maxDepth)")
        }
        guard maxInputBytes >= 1 else {
            throw ValidationError("--max-input-bytes must be at least 1, got \(maxInputBytes)")
        }
        guard maxDocumentBytes >= 1 else {
            throw ValidationError("--max-document-bytes must be at least 1, got \(maxDocumentBytes)")
        }
    }

    /// The paths to read, `paths` as given. Without paths, manifests come from standard input,
    /// unless it is a terminal or holds the values (`--values -`): then a usage error, or, with
    /// --allow-empty (a run on values alone), no input at all rather than waiting for typed YAML.
    func pathsOrStandardInput(_ paths: [String], valuesReadIt: Bool = false) throws -> [String] {
        if valuesReadIt && paths.contains(where: StandardInputPath.names) {
            throw ValidationError("standard input is read once: it cannot hold both the manifests (-) and the values (--values -)")
        }
        guard paths.isEmpty else { return paths }
        if isatty(STDIN_FILENO) == 0 && !valuesReadIt { return ["-"] }
        guard allowEmpty else {
            throw ValidationError("no input: give manifest files or folders" + (valuesReadIt ? " (standard input holds the values)" : ", or - to read standard input"))
        }
        return []
    }

    var limits: YAMLLimits {
        var limits = YAMLLimits()
        limits.maxInputBytes = maxInputBytes
        limits.maxDocumentBytes = maxDocumentBytes
        limits.maxDepth = maxDepth
        return limits
    }
}
