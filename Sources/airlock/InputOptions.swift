import AirlockCore
import ArgumentParser
import YAMLSource

/// Which manifests to read and how strictly.
struct InputOptions: ParsableArguments {
    @Argument(help: "Files, directories (searched for *.yaml, *.yml, *.json) or - for standard input.")
    var paths: [String] = []

    @Option(help: "Namespace of namespaced objects that state none.")
    var namespace = "default"

    @Flag(help: "Accept inputs that hold no resource at all (by default that fails: an empty render must not pass).")
    var allowEmpty = false

    @Option(help: "Largest single YAML document in bytes.")
    var maxDocumentBytes = YAMLLimits().maxDocumentBytes

    @Option(help: "Deepest nesting of YAML collections.")
    var maxDepth = YAMLLimits().maxDepth

    var limits: YAMLLimits {
        var limits = YAMLLimits()
        limits.maxDocumentBytes = maxDocumentBytes
        limits.maxDepth = maxDepth
        return limits
    }
}
