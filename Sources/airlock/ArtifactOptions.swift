import AirlockCore
import ArgumentParser

/// How packages and bundles are read: the limits that bound the work, and the signing key.
struct ArtifactOptions: ParsableArguments {
    @Option(help: "Largest total of uncompressed bytes in one package or bundle.")
    var maxBundleBytes = BundleLimits().maxTotalBytes

    @Option(help: "Most entries in one package or bundle.")
    var maxBundleEntries = BundleLimits().maxEntries

    @Option(help: "Largest ratio of uncompressed to compressed bytes of an archive.")
    var maxCompressionRatio = BundleLimits().maxCompressionRatio

    @Option(help: "Largest single file read into memory (manifest.yaml, package.yaml, Chart.yaml).")
    var maxBundleFileBytes = BundleLimits().maxInMemoryFileBytes

    @Option(help: "Deepest archive nesting opened: a chart in a bundle is 1, a subchart packed in it 2.")
    var maxArchiveNesting = BundleLimits().maxNestingDepth

    @Option(help: "PEM public key (cosign.pub) that bundle signatures (.sig) must verify with.")
    var key: [String] = []

    func validate() throws {
        try SingleValuedOption.requireAtMostOne(key, of: "--key", because: "signatures are verified with one key")
    }

    func apply(to options: inout CheckOptions) throws {
        guard maxBundleBytes > 0, maxBundleEntries > 0, maxCompressionRatio > 0, maxBundleFileBytes > 0, maxArchiveNesting > 0 else {
            throw ValidationError("bundle limits must be positive")
        }
        options.bundleLimits.maxTotalBytes = maxBundleBytes
        options.bundleLimits.maxEntries = maxBundleEntries
        options.bundleLimits.maxCompressionRatio = maxCompressionRatio
        options.bundleLimits.maxInMemoryFileBytes = maxBundleFileBytes
        options.bundleLimits.maxNestingDepth = maxArchiveNesting
        options.publicKeyFile = key.last
    }
}
